"""A browser's screenshot of the outcome page is not blank: it shows each
chart colour (the bars) and dark text. Usage: python check-screenshot.py PNG"""
import sys

from PIL import Image

image = Image.open(sys.argv[1]).convert("RGB")
colours = image.getcolors(maxcolors=1 << 24) or []
counts = {}
for count, rgb in colours:
    counts[rgb] = counts.get(rgb, 0) + count
bars = {"blue": (0x1F, 0x5F, 0xA8), "green": (0x2E, 0x8B, 0x57), "orange": (0xC8, 0x64, 0x1E), "grey": (0x8A, 0x8A, 0x8A)}
problems = [f"no {name} bar" for name, rgb in bars.items() if counts.get(rgb, 0) < 500]
dark = sum(c for rgb, c in counts.items() if sum(rgb) < 200)
if dark < 2000:
    problems.append(f"almost no text ({dark} dark pixels)")
white = counts.get((255, 255, 255), 0)
if white > 0.98 * image.width * image.height:
    problems.append("the page is blank")
for p in problems:
    print(p)
print(f"{image.width}x{image.height}: {len(colours)} colours, {dark} dark pixels")
sys.exit(1 if problems else 0)
