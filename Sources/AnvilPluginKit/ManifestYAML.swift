import AnvilCore
import Foundation
import Yams

/// Reads manifest files: YAML into ``JSONValue``, so they can be checked with the same JSON Schema validator that
/// checks tool arguments.
public enum ManifestYAML {
    /// The document in `text`; an empty document is an empty object.
    ///
    /// - Throws: ``ManifestError`` with the line and column of a syntax error or a duplicated key.
    public static func parse(_ text: String, file: String) throws -> JSONValue {
        do {
            guard let node = try Yams.compose(yaml: text) else { return .object([:]) }
            return try value(of: node, file: file, path: "")
        } catch let error as YamlError {
            throw ManifestError(yamlError: error, file: file)
        }
    }

    /// Reads and parses `url`.
    public static func load(_ url: URL) throws -> JSONValue {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ManifestError(file: url.path, problem: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path)
    }

    /// The `.yaml` and `.yml` files directly in `directory`, sorted by name; none when it does not exist.
    public static func files(in directory: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .filter { !$0.hasPrefix(".") }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    private static func value(of node: Node, file: String, path: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(
                try sequence.enumerated().map { index, element in
                    try value(of: element, file: file, path: "\(path)[\(index)]")
                })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, element) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ManifestError(
                        file: file,
                        key: path,
                        problem: "keys must be plain strings",
                        line: key.mark.map { $0.line },
                        column: key.mark.map { $0.column }
                    )
                }
                let name = keyScalar.string
                object[name] = try value(of: element, file: file, path: path.isEmpty ? name : "\(path).\(name)")
            }
            return .object(object)
        case .alias:
            throw ManifestError(file: file, key: path, problem: "YAML aliases are not supported in manifests")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let node = Node.scalar(scalar)
        // Only plain scalars are typed by their look; a quoted "5" stays a string.
        guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
        switch Resolver.default.resolveTag(of: node) {
        case .null: return .null
        case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
        case .int: return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
        case .float: return node.float.map(JSONValue.number) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }
}

extension ManifestError {
    init(yamlError: YamlError, file: String) {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            self.init(file: file, problem: "invalid YAML: \(problem)", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init(
                file: file,
                problem: "duplicate keys \(duplicates.map { "'\($0)'" }.joined(separator: ", "))",
                line: context.mark.line,
                column: context.mark.column
            )
        default:
            self.init(file: file, problem: "invalid YAML: \(yamlError)")
        }
    }
}
