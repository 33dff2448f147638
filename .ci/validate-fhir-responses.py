"""Validates every QuestionnaireResponse in a directory against the FHIR R4
(4.0.1) structure definitions, as modelled by fhir.resources 6.2.

Usage: python validate-fhir-responses.py DIR. Exits 1 naming each file that fails.
"""
import json
import pathlib
import sys

import fhir.resources
from fhir.resources.questionnaireresponse import QuestionnaireResponse

assert fhir.resources.__fhir_version__ == "4.0.1", fhir.resources.__fhir_version__
files = sorted(pathlib.Path(sys.argv[1]).glob("*.json"))
failed = 0
for path in files:
    try:
        QuestionnaireResponse.parse_obj(json.loads(path.read_text()))
    except Exception as error:  # a validation error names every field that is wrong
        failed += 1
        print(f"{path.name}: {error}")
print(f"{len(files) - failed} of {len(files)} responses are valid R4")
sys.exit(1 if failed or not files else 0)
