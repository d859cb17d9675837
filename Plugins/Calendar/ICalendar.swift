import Foundation

/// One content line of an iCalendar object (`DTSTART;TZID=Europe/Berlin:20261201T090000`), unfolded.
public struct ContentLine: Sendable, Hashable {
    /// Upper-cased property name.
    public var name: String
    /// Parameters by upper-cased name, quotes removed.
    public var parameters: [String: String]
    public var value: String
}

/// A component (`VCALENDAR`, `VEVENT`, ...) with its properties and nested components.
public struct ICalendarComponent: Sendable, Hashable {
    public var name: String
    public var properties: [ContentLine] = []
    public var components: [ICalendarComponent] = []

    public func first(_ name: String) -> ContentLine? { properties.first { $0.name == name } }
    public func all(_ name: String) -> [ContentLine] { properties.filter { $0.name == name } }
}

/// Reading and writing RFC 5545 text: line unfolding and folding, content lines, text escaping, dates.
public enum ICalendar {
    /// Splits `text` into unfolded logical lines: a line break followed by a space or tab continues the line.
    public static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
            } else if !line.isEmpty {
                lines.append(String(line))
            }
        }
        return lines
    }

    /// Parses one unfolded line; `nil` when it has no `:` after its name and parameters.
    public static func contentLine(_ line: String) -> ContentLine? {
        var index = line.startIndex
        var name = ""
        while index < line.endIndex, line[index] != ";", line[index] != ":" {
            name.append(line[index])
            index = line.index(after: index)
        }
        guard !name.isEmpty, index < line.endIndex else { return nil }
        var parameters: [String: String] = [:]
        while index < line.endIndex, line[index] == ";" {
            index = line.index(after: index)
            var key = ""
            while index < line.endIndex, line[index] != "=", line[index] != ":", line[index] != ";" {
                key.append(line[index])
                index = line.index(after: index)
            }
            var value = ""
            if index < line.endIndex, line[index] == "=" {
                index = line.index(after: index)
                var quoted = false
                while index < line.endIndex {
                    let character = line[index]
                    if character == "\"" {
                        quoted.toggle()
                    } else if !quoted, character == ";" || character == ":" {
                        break
                    } else {
                        value.append(character)
                    }
                    index = line.index(after: index)
                }
            }
            parameters[key.uppercased()] = value
        }
        guard index < line.endIndex, line[index] == ":" else { return nil }
        return ContentLine(
            name: name.uppercased(), parameters: parameters, value: String(line[line.index(after: index)...]))
    }

    /// Parses a whole iCalendar stream into its top-level components.
    public static func parse(_ text: String) throws(ICalendarError) -> [ICalendarComponent] {
        var stack: [ICalendarComponent] = []
        var roots: [ICalendarComponent] = []
        for (number, line) in unfold(text).enumerated() {
            guard let content = contentLine(line) else {
                throw ICalendarError(line: number + 1, message: "expected NAME[;PARAM=VALUE]:VALUE")
            }
            switch content.name {
            case "BEGIN":
                stack.append(ICalendarComponent(name: content.value.uppercased()))
            case "END":
                guard let component = stack.popLast(), component.name == content.value.uppercased() else {
                    throw ICalendarError(line: number + 1, message: "END:\(content.value) does not close an open BEGIN")
                }
                if stack.isEmpty {
                    roots.append(component)
                } else {
                    stack[stack.count - 1].components.append(component)
                }
            default:
                guard !stack.isEmpty else {
                    throw ICalendarError(line: number + 1, message: "\(content.name) outside BEGIN/END")
                }
                stack[stack.count - 1].properties.append(content)
            }
        }
        if let open = stack.last {
            throw ICalendarError(line: 0, message: "BEGIN:\(open.name) is never closed")
        }
        return roots
    }

    /// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// Undoes ``escape(_:)``.
    public static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n", "N": out.append("\n")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Folds a content line into lines of at most 75 octets, continuing each with a space, never splitting a
    /// UTF-8 sequence; lines end in CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(character)
            octets += size
        }
        return out + "\r\n"
    }

    /// A date-time as iCalendar writes it.
    public enum DateValue: Sendable, Hashable {
        /// `VALUE=DATE`: `20261224`.
        case date(CivilDate)
        /// `20261201T080000Z`.
        case utc(Date)
        /// `TZID=Europe/Berlin:20261201T090000`, or floating when the zone is `nil`.
        case local(LocalDateTime, zone: String?)
    }

    /// Reads a `DTSTART`/`DTEND`/`EXDATE`-style value (the first, for a list).
    public static func dateValues(_ line: ContentLine) -> [DateValue]? {
        var values: [DateValue] = []
        for item in line.value.split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            if line.parameters["VALUE"]?.uppercased() == "DATE" || text.count == 8 {
                guard let date = CivilDate(text, basic: true) else { return nil }
                values.append(.date(date))
            } else if text.hasSuffix("Z") || text.hasSuffix("z") {
                guard let local = LocalDateTime(basic: text.dropLast()) else { return nil }
                values.append(.utc(local.instant(in: .gmt)))
            } else {
                guard let local = LocalDateTime(basic: text) else { return nil }
                values.append(.local(local, zone: line.parameters["TZID"]))
            }
        }
        return values.isEmpty ? nil : values
    }

    /// Parses a `DURATION` value such as `PT1H30M`, `P1D` or `P2W` into seconds (days as 86400, for timed
    /// events); negative durations are refused.
    public static func duration(_ text: String) -> (days: Int, seconds: Int)? {
        var rest = Substring(text.uppercased())
        if rest.hasPrefix("+") { rest = rest.dropFirst() }
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var days = 0
        var seconds = 0
        var number = ""
        var inTime = false
        for character in rest {
            if character.isNumber {
                number.append(character)
                continue
            }
            if character == "T" {
                inTime = true
                continue
            }
            guard let value = Int(number) else { return nil }
            number = ""
            switch (character, inTime) {
            case ("W", false): days += value * 7
            case ("D", false): days += value
            case ("H", true): seconds += value * 3600
            case ("M", true): seconds += value * 60
            case ("S", true): seconds += value
            default: return nil
            }
        }
        return number.isEmpty ? (days, seconds) : nil
    }
}

/// An iCalendar text that cannot be read: the (unfolded) line number and what is wrong.
public struct ICalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String {
        line > 0 ? "invalid iCalendar at line \(line): \(message)" : "invalid iCalendar: \(message)"
    }
}
