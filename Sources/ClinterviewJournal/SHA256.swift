import Crypto
import Foundation

/// SHA-256 as lowercase hex, from swift-crypto: it chains journal records and
/// fingerprints interview definitions. Integrity, not secrecy, is its job.
public enum SHA256Hex {
    public static func of<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        let digest = Crypto.SHA256.hash(data: bytes)
        var hex = ""
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(Self.digits[Int(byte >> 4)])
            hex.append(Self.digits[Int(byte & 0x0F)])
        }
        return hex
    }

    private static let digits = Array("0123456789abcdef")
}
