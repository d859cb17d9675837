import AnvilCore

/// A manifest that cannot be used, with the file, the key and the problem, so the fix is obvious from the message
/// alone: `manifests/plugins/web_browse.yaml: config.max_redirects: expected integer, got string`.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The key path inside the file (`config.allow[2]`), or empty for the file as a whole.
    public var key: String
    public var problem: String
    /// The 1-based line and column, for syntax errors.
    public var position: (line: Int, column: Int)? {
        line.map { ($0, column ?? 1) }
    }
    private var line: Int?
    private var column: Int?

    public init(file: String, key: String = "", problem: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.key = key
        self.problem = problem
        self.line = line
        self.column = column
    }

    /// One error per schema violation, with the violation's path as the key under `prefix`.
    public static func violations(_ violations: [SchemaViolation], file: String, prefix: String) -> [ManifestError] {
        violations.map { violation in
            var path = violation.path
            if path.hasPrefix("$") { path.removeFirst() }
            if path.hasPrefix(".") { path.removeFirst() }
            let key = prefix.isEmpty ? path : (path.isEmpty ? prefix : "\(prefix).\(path)")
            let problem =
                violation.message == "additional property not allowed" ? "unknown key" : violation.message
            return ManifestError(file: file, key: key, problem: problem)
        }
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line):\(column ?? 1)" }
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}

/// Several manifest errors found at once, so one startup attempt reports them all.
public struct ManifestErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ManifestError]

    public init(_ errors: [ManifestError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
