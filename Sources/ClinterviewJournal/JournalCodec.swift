import ClinterviewCore
import Foundation

/// One record per line: `{"seq":N,"prev":HASH,"time":T,"type":TYPE,...,"hash":HASH}`.
/// `hash` is the SHA-256 of the line's bytes before `,"hash":`; `prev` is the
/// previous record's hash (64 zeros for the first), so every record vouches for
/// the one before it.
enum JournalCodec {
    static let genesis = String(repeating: "0", count: 64)
    static let hashSuffixLength = 75  // ,"hash":" + 64 hex digits + "}
    static let maximumLineLength = 1 << 20

    static func encode(
        sequence: Int, previousHash: String, time: Date, event: JournalEvent
    ) -> (line: [UInt8], hash: String) {
        let object = JSONOutput.object(
            [
                ("seq", .number(Double(sequence))),
                ("prev", .string(previousHash)),
                ("time", .string(Timestamp.string(time))),
                ("type", .string(event.typeName)),
            ] + event.fields)
        var line = object.serializedUTF8()
        line.removeLast()
        let hash = SHA256Hex.of(line)
        line += ",\"hash\":\"".utf8
        line += hash.utf8
        line += "\"}".utf8
        return (line, hash)
    }

    enum Failure: Error {
        /// The text no longer matches its hash.
        case edited
        /// Not a readable record at all.
        case malformed(String)
    }

    struct Decoded {
        var record: JournalRecord
        var previousHash: String
    }

    static func decode(_ line: ArraySlice<UInt8>) -> Result<Decoded, Failure> {
        guard line.count <= maximumLineLength else { return .failure(.malformed("the line is longer than 1 MiB")) }
        let root: JSONNode
        do {
            root = try JSONParser.parse(Array(line))
        } catch {
            return .failure(.malformed("it is not valid JSON (\(error.message))"))
        }
        guard case .object(let object) = root.value else { return .failure(.malformed("it is not a JSON object")) }
        guard line.count > hashSuffixLength, case .string(let stored)? = object["hash"]?.value, stored.count == 64,
            line.suffix(hashSuffixLength).elementsEqual(Array(",\"hash\":\"\(stored)\"}".utf8))
        else {
            return .failure(.malformed("it has no hash at its end"))
        }
        if SHA256Hex.of(line.dropLast(hashSuffixLength)) != stored { return .failure(.edited) }

        func string(_ key: String) -> String? {
            if case .string(let value)? = object[key]?.value { return value }
            return nil
        }
        guard case .number(let seq)? = object["seq"]?.value, let sequence = seq.integerValue, sequence >= 1 else {
            return .failure(.malformed("'seq' is missing or not a positive whole number"))
        }
        guard let previous = string("prev"), previous.count == 64 else {
            return .failure(.malformed("'prev' is missing"))
        }
        guard let timeText = string("time"), let time = Timestamp.date(timeText) else {
            return .failure(.malformed("'time' is missing or not a timestamp"))
        }
        guard let type = string("type") else { return .failure(.malformed("'type' is missing")) }
        func require(_ key: String) -> Result<String, Failure> {
            string(key).map(Result.success) ?? .failure(.malformed("a '\(type)' record needs a string '\(key)'"))
        }
        func overrides() -> [String: String] {
            guard case .object(let members)? = object["overrides"]?.value else { return [:] }
            var result: [String: String] = [:]
            for member in members.members {
                if case .string(let reason) = member.value.value { result[member.key] = reason }
            }
            return result
        }
        let event: JournalEvent
        do {
            switch type {
            case "started":
                event = .started(
                    SessionHeader(
                        sessionID: try require("session").get(), interviewID: try require("interview").get(),
                        interviewVersion: try require("interview_version").get(),
                        definitionSHA256: try require("definition_sha256").get(),
                        definitionPath: try require("definition_path").get(), client: try require("client").get(),
                        rater: try require("rater").get(), role: try require("role").get(),
                        language: string("language"),
                        software: string("software") ?? "unknown",
                        blind: object["blind"].map { if case .bool(true) = $0.value { true } else { false } } ?? false,
                        timeFrame: string("time_frame"),
                        assessedAt: string("assessed_at").flatMap(Timestamp.date)))
            case "answer", "change":
                guard let value = object["value"] else {
                    return .failure(.malformed("a '\(type)' record needs a 'value'"))
                }
                let item = try require("item").get()
                event =
                    type == "answer"
                    ? .answered(item: item, value: value.output, overrides: overrides())
                    : .changed(
                        item: item, value: value.output, reason: try require("reason").get(), overrides: overrides())
            case "skip": event = .skipped(item: try require("item").get(), reason: try require("reason").get())
            case "note": event = .note(item: try require("item").get(), text: try require("text").get())
            case "alert_shown":
                event = .alertShown(id: try require("alert").get(), severity: try require("severity").get())
            case "alert_acknowledged": event = .alertAcknowledged(id: try require("alert").get())
            case "paused": event = .paused
            case "resumed": event = .resumed
            case "completed": event = .completed
            default: return .failure(.malformed("unknown record type '\(type)'"))
            }
        } catch {
            return .failure(error)
        }
        return .success(
            Decoded(
                record: JournalRecord(sequence: sequence, time: time, event: event, hash: stored),
                previousHash: previous))
    }
}
