import AnvilCore
import Foundation
import Testing

/// Reads JSON text: schemas and values read more plainly as JSON than as nested Swift literals. Note that the
/// decoder turns `2.0` into `.integer(2)`, so cases about `.number` build their values directly.
private func json(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

/// One keyword check: a schema, a value, and the violations expected, as `path: message`; none when valid.
struct SchemaCase: Sendable, CustomTestStringConvertible {
    let schema: String
    let value: String
    let violations: [String]

    init(_ schema: String, _ value: String, _ violations: String...) {
        self.schema = schema
        self.value = value
        self.violations = violations
    }

    var testDescription: String { "\(schema) ⟵ \(value)" }

    /// Validates both ways, so that `isValid` never disagrees with `validate`.
    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compiled = try JSONSchema(json(schema))
        let instance = try json(value)
        #expect(compiled.validate(instance).map(\.description) == violations, sourceLocation: sourceLocation)
        #expect(compiled.isValid(instance) == violations.isEmpty, sourceLocation: sourceLocation)
    }
}

@Suite("JSON Schema keywords")
struct JSONSchemaTests {
    static let typeCases: [SchemaCase] = [
        SchemaCase(#"{"type": "string"}"#, #""x""#),
        SchemaCase(#"{"type": "string"}"#, "5", "$: expected string, got integer"),
        SchemaCase(#"{"type": "integer"}"#, "5"),
        SchemaCase(#"{"type": "integer"}"#, "5.5", "$: expected integer, got number"),
        SchemaCase(#"{"type": "number"}"#, "5"),
        SchemaCase(#"{"type": "number"}"#, "5.5"),
        SchemaCase(#"{"type": "number"}"#, #""5""#, "$: expected number, got string"),
        SchemaCase(#"{"type": "boolean"}"#, "true"),
        SchemaCase(#"{"type": "boolean"}"#, "0", "$: expected boolean, got integer"),
        SchemaCase(#"{"type": "null"}"#, "null"),
        SchemaCase(#"{"type": "null"}"#, "false", "$: expected null, got boolean"),
        SchemaCase(#"{"type": "array"}"#, "[]"),
        SchemaCase(#"{"type": "array"}"#, "{}", "$: expected array, got object"),
        SchemaCase(#"{"type": "object"}"#, "{}"),
        SchemaCase(#"{"type": "object"}"#, "[]", "$: expected object, got array"),
        SchemaCase(#"{"type": ["string", "null"]}"#, "null"),
        SchemaCase(#"{"type": ["string", "null"]}"#, "3", "$: expected string or null, got integer"),
        SchemaCase(
            #"{"type": ["integer", "string", "null"]}"#, "true", "$: expected integer, string or null, got boolean"),
        // A wrong type is the one complaint; the other keywords would only repeat it.
        SchemaCase(#"{"type": "string", "enum": ["a"], "minLength": 3}"#, "1", "$: expected string, got integer"),
    ]

    @Test("type", arguments: typeCases)
    func type(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    static let valueCases: [SchemaCase] = [
        SchemaCase(#"{"enum": ["c", "f"]}"#, #""c""#),
        SchemaCase(#"{"enum": ["c", "f"]}"#, #""k""#, #"$: must be one of "c", "f""#),
        SchemaCase(#"{"enum": [1, 2]}"#, "2"),
        SchemaCase(#"{"enum": [1, 2]}"#, #""2""#, "$: must be one of 1, 2"),
        SchemaCase(#"{"enum": [{"a": 1}, [1, 2], null]}"#, #"{"a": 1}"#),
        SchemaCase(#"{"enum": [{"a": 1}, [1, 2], null]}"#, "[2, 1]", #"$: must be one of {"a":1}, [1,2], null"#),
        SchemaCase(#"{"enum": ["only"]}"#, #""other""#, #"$: must be "only""#),
        SchemaCase(#"{"const": "v1"}"#, #""v1""#),
        SchemaCase(#"{"const": "v1"}"#, #""v2""#, #"$: must be "v1""#),
        SchemaCase(#"{"const": null}"#, "null"),
        SchemaCase(#"{"const": false}"#, "0", "$: must be false"),
        SchemaCase(#"{"const": {"b": [1, "x"], "a": true}}"#, #"{"a": true, "b": [1, "x"]}"#),
    ]

    @Test("enum and const", arguments: valueCases)
    func values(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    static let objectCases: [SchemaCase] = [
        SchemaCase(#"{"properties": {"city": {"type": "string"}}}"#, #"{"city": "Oslo"}"#),
        SchemaCase(#"{"properties": {"city": {"type": "string"}}}"#, "{}"),
        SchemaCase(
            #"{"properties": {"city": {"type": "string"}}}"#, #"{"city": 5}"#, "$.city: expected string, got integer"),
        SchemaCase(#"{"required": ["city"]}"#, "{}", "$: missing required property 'city'"),
        SchemaCase(#"{"required": ["a", "b"]}"#, #"{"b": 1}"#, "$: missing required property 'a'"),
        SchemaCase(#"{"required": ["a"]}"#, #""not an object""#),
        SchemaCase(
            #"{"properties": {"a": {}}, "additionalProperties": false}"#, #"{"a": 1, "extra": 2}"#,
            "$.extra: additional property not allowed"
        ),
        SchemaCase(
            #"{"additionalProperties": {"type": "integer"}}"#, #"{"x": 1, "y": "2"}"#,
            "$.y: expected integer, got string"
        ),
        SchemaCase(
            #"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#,
            #"{"x-a": "1", "x-b": 2, "y": 0}"#,
            #"$["x-b"]: expected string, got integer"#, "$.y: additional property not allowed"
        ),
        SchemaCase(
            #"{"patternProperties": {"id": {"type": "integer"}}}"#, #"{"user_id": "a"}"#,
            "$.user_id: expected integer, got string"),
        SchemaCase(#"{"minProperties": 1}"#, "{}", "$: must have at least 1 property, got 0"),
        SchemaCase(#"{"maxProperties": 2}"#, #"{"a": 1, "b": 2}"#),
        SchemaCase(#"{"maxProperties": 2}"#, #"{"a": 1, "b": 2, "c": 3}"#, "$: must have at most 2 properties, got 3"),
        SchemaCase(#"{"dependentRequired": {"card": ["cvv"]}}"#, "{}"),
        SchemaCase(
            #"{"dependentRequired": {"card": ["cvv"]}}"#, #"{"card": "4111"}"#,
            "$: missing property 'cvv', which is required when 'card' is present"
        ),
        SchemaCase(
            #"{"propertyNames": {"maxLength": 3}}"#, #"{"abc": 1, "abcd": 1}"#,
            "$.abcd: property name is not allowed: must be at most 3 characters long, got 4"
        ),
        SchemaCase(
            #"{"properties": {"a": {"properties": {"b c": {"type": "string"}}}}}"#, #"{"a": {"b c": 1}}"#,
            #"$.a["b c"]: expected string, got integer"#
        ),
        SchemaCase(
            """
            {"type": "object", "required": ["city"], "additionalProperties": false,
             "properties": {"city": {"type": "string"}, "guests": {"type": "integer", "minimum": 1}}}
            """,
            #"{"zip": 1, "guests": 0, "extra": true}"#,
            "$: missing required property 'city'", "$.extra: additional property not allowed",
            "$.guests: must be >= 1, got 0", "$.zip: additional property not allowed"
        ),
    ]

    @Test("object keywords, with paths to the offending member", arguments: objectCases)
    func objects(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    static let arrayCases: [SchemaCase] = [
        SchemaCase(#"{"items": {"type": "integer"}}"#, "[1, 2]"),
        SchemaCase(
            #"{"items": {"type": "integer"}}"#, #"[1, "2", 3, null]"#,
            "$[1]: expected integer, got string", "$[3]: expected integer, got null"
        ),
        SchemaCase(#"{"prefixItems": [{"type": "string"}, {"type": "integer"}]}"#, #"["a", 1, true]"#),
        SchemaCase(
            #"{"prefixItems": [{"type": "string"}, {"type": "integer"}]}"#, #"["a", "b"]"#,
            "$[1]: expected integer, got string"),
        SchemaCase(
            #"{"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}"#, #"["a", 1, true]"#,
            "$[2]: additional item not allowed (at most 2 items)"
        ),
        SchemaCase(
            #"{"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}"#, #"["a", 1, "b"]"#,
            "$[2]: expected integer, got string"
        ),
        SchemaCase(
            #"{"items": [{"type": "string"}], "additionalItems": false}"#, #"["a", 1]"#,
            "$[1]: additional item not allowed (at most 1 item)"
        ),
        SchemaCase(#"{"minItems": 1}"#, "[]", "$: must have at least 1 item, got 0"),
        SchemaCase(#"{"maxItems": 2}"#, "[1, 2]"),
        SchemaCase(#"{"maxItems": 2}"#, "[1, 2, 3]", "$: must have at most 2 items, got 3"),
        SchemaCase(#"{"uniqueItems": true}"#, #"[1, "1", true, [1], {"a": 1}]"#),
        SchemaCase(
            #"{"uniqueItems": true}"#, "[1, 2, 1]", "$: must not contain duplicates, but items 0 and 2 are equal"),
        SchemaCase(
            #"{"uniqueItems": true}"#, #"[{"a": 1, "b": 2}, {"b": 2, "a": 1}]"#,
            "$: must not contain duplicates, but items 0 and 1 are equal"
        ),
        SchemaCase(#"{"uniqueItems": false}"#, "[1, 1]"),
        SchemaCase(#"{"contains": {"type": "string"}}"#, #"[1, "a"]"#),
        SchemaCase(
            #"{"contains": {"type": "string"}}"#, "[1, 2]",
            #"$: must contain at least 1 item matching "contains", got 0"#),
        SchemaCase(
            #"{"contains": {"const": 1}, "minContains": 2}"#, "[1, 2]",
            #"$: must contain at least 2 items matching "contains", got 1"#
        ),
        SchemaCase(
            #"{"contains": {"const": 1}, "maxContains": 1}"#, "[1, 1]",
            #"$: must contain at most 1 item matching "contains", got 2"#
        ),
        SchemaCase(
            """
            {"properties": {"items": {"type": "array",
             "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
            """,
            #"{"items": [{"name": "a"}, {"name": "b"}, {"name": 3}]}"#,
            "$.items[2].name: expected string, got integer"
        ),
    ]

    @Test("array keywords, with paths to the offending item", arguments: arrayCases)
    func arrays(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    static let stringCases: [SchemaCase] = [
        SchemaCase(#"{"minLength": 2}"#, #""ab""#),
        SchemaCase(#"{"minLength": 2}"#, #""a""#, "$: must be at least 2 characters long, got 1"),
        SchemaCase(#"{"minLength": 1}"#, #""""#, "$: must be at least 1 character long, got 0"),
        SchemaCase(#"{"maxLength": 3}"#, #""abcd""#, "$: must be at most 3 characters long, got 4"),
        SchemaCase(#"{"minLength": 2.0}"#, #""ab""#),
        SchemaCase(#"{"pattern": "^[a-z]+$"}"#, #""abc""#),
        SchemaCase(#"{"pattern": "^[a-z]+$"}"#, #""abC""#, #"$: must match the pattern "^[a-z]+$", got "abC""#),
        SchemaCase(#"{"pattern": "b"}"#, #""abc""#),
        SchemaCase(#"{"pattern": "^b"}"#, #""abc""#, #"$: must match the pattern "^b", got "abc""#),
        SchemaCase(#"{"pattern": "^\\d{3}$"}"#, #""123""#),
        SchemaCase(#"{"pattern": "^\\p{L}+$"}"#, #""Zoë""#),
        SchemaCase(#"{"pattern": "^a", "minLength": 9}"#, "5"),
    ]

    @Test("string keywords", arguments: stringCases)
    func strings(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    @Test("lengths count Unicode code points, as JSON Schema does")
    func unicodeLength() throws {
        let schema = try JSONSchema(json(#"{"minLength": 2, "maxLength": 2}"#))
        #expect(schema.isValid(.string("e\u{301}")))  // "é" as e + combining acute: one Character, two code points
        #expect(!schema.isValid(.string("\u{E9}")))  // precomposed "é": one code point
        #expect(schema.isValid(.string("👍🏽")))  // thumbs up + skin tone modifier
        #expect(!schema.isValid(.string("𝄞")))  // one code point, two UTF-16 units
        #expect(schema.isValid(.string("日本")))
        #expect(schema.validate(.string("👨‍👩‍👧")).map(\.description) == ["$: must be at most 2 characters long, got 5"])
    }

    static let numberCases: [SchemaCase] = [
        SchemaCase(#"{"minimum": 1}"#, "1"),
        SchemaCase(#"{"minimum": 1}"#, "0", "$: must be >= 1, got 0"),
        SchemaCase(#"{"minimum": 0.5}"#, "0", "$: must be >= 0.5, got 0"),
        SchemaCase(#"{"maximum": 10}"#, "10"),
        SchemaCase(#"{"maximum": 10}"#, "11", "$: must be <= 10, got 11"),
        SchemaCase(#"{"maximum": 10}"#, "10.5", "$: must be <= 10, got 10.5"),
        SchemaCase(#"{"exclusiveMinimum": 0}"#, "0.5"),
        SchemaCase(#"{"exclusiveMinimum": 0}"#, "0", "$: must be > 0, got 0"),
        SchemaCase(#"{"exclusiveMaximum": 5}"#, "4.99"),
        SchemaCase(#"{"exclusiveMaximum": 5}"#, "5", "$: must be < 5, got 5"),
        SchemaCase(#"{"minimum": 1, "exclusiveMinimum": 1}"#, "1", "$: must be > 1, got 1"),
        // Draft 4 and OpenAPI 3.0 write exclusive bounds as booleans.
        SchemaCase(#"{"minimum": 1, "exclusiveMinimum": true}"#, "1", "$: must be > 1, got 1"),
        SchemaCase(#"{"maximum": 1, "exclusiveMaximum": false}"#, "1"),
        SchemaCase(#"{"multipleOf": 5}"#, "15"),
        SchemaCase(#"{"multipleOf": 5}"#, "7", "$: must be a multiple of 5, got 7"),
        SchemaCase(#"{"multipleOf": 0.1}"#, "0.3"),
        SchemaCase(#"{"multipleOf": 0.1}"#, "0.35", "$: must be a multiple of 0.1, got 0.35"),
        SchemaCase(#"{"multipleOf": 0.5}"#, "4"),
        SchemaCase(#"{"multipleOf": 0.123456789}"#, "1e308", "$: must be a multiple of 0.123456789, got 1e+308"),
        SchemaCase(
            #"{"maximum": 9007199254740992}"#, "9007199254740993",
            "$: must be <= 9007199254740992, got 9007199254740993"
        ),
        SchemaCase(#"{"minimum": 5, "multipleOf": 2}"#, #""1""#),
    ]

    @Test("numeric keywords", arguments: numberCases)
    func numbers(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    @Test("integer means any whole number; number includes integers")
    func integerAndNumber() throws {
        let integer = try JSONSchema(json(#"{"type": "integer"}"#))
        #expect(integer.isValid(.integer(3)))
        #expect(integer.isValid(.number(3.0)))
        #expect(integer.isValid(.number(-0.0)))
        #expect(integer.isValid(.integer(.max)))
        #expect(!integer.isValid(.number(3.5)))
        #expect(integer.validate(.number(0.1)).map(\.description) == ["$: expected integer, got number"])

        let number = try JSONSchema(json(#"{"type": "number"}"#))
        #expect(number.isValid(.integer(3)))
        #expect(number.isValid(.number(3.5)))

        let enumeration = try JSONSchema(json(#"{"enum": [1, 2]}"#))
        #expect(enumeration.isValid(.number(2.0)))
        #expect(!enumeration.isValid(.number(2.5)))
        let unique = try JSONSchema(json(#"{"uniqueItems": true}"#))
        #expect(!unique.isValid([.integer(1), .number(1.0)]))

        // Comparing an Int64 with a Double must not round the integer: 2^53 + 1 is above 2^53.
        let maximum = try JSONSchema(.object(["maximum": .number(9_007_199_254_740_992)]))
        #expect(!maximum.isValid(.integer(9_007_199_254_740_993)))
        #expect(maximum.isValid(.integer(9_007_199_254_740_992)))
        let minimum = try JSONSchema(.object(["minimum": .number(-0.5)]))
        #expect(minimum.isValid(.integer(0)))
        #expect(!minimum.isValid(.integer(-1)))
        #expect(minimum.validate(.integer(-1)).map(\.description) == ["$: must be >= -0.5, got -1"])
    }

    static let applicatorCases: [SchemaCase] = [
        SchemaCase(
            #"{"allOf": [{"type": "object", "required": ["a"]}, {"required": ["b"]}]}"#, "{}",
            "$: missing required property 'a'", "$: missing required property 'b'"
        ),
        SchemaCase(#"{"allOf": [{"minimum": 1}, {"maximum": 3}]}"#, "2"),
        SchemaCase(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, #""x""#),
        SchemaCase(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "null"),
        SchemaCase(
            #"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "5", "$: expected string or null, got integer"),
        SchemaCase(
            #"{"anyOf": [{"type": "object", "required": ["a"]}, {"type": "null"}]}"#, "{}",
            "$: missing required property 'a'"
        ),
        SchemaCase(
            #"{"anyOf": [{"type": "string", "maxLength": 2}, {"type": "string", "pattern": "^a"}]}"#, #""bcd""#,
            #"$: matches none of the anyOf options: option 1: [$: must be at most 2 characters long, got 3]; "#
                + #"option 2: [$: must match the pattern "^a", got "bcd"]"#
        ),
        SchemaCase(#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, "1"),
        SchemaCase(#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, "2.5"),
        SchemaCase(
            #"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, "3",
            "$: must match exactly one oneOf option, but matches options 1, 2"
        ),
        SchemaCase(#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, "1.5", "$: must be >= 2, got 1.5"),
        SchemaCase(#"{"not": {"type": "string"}}"#, "1"),
        SchemaCase(#"{"not": {"type": "string"}}"#, #""x""#, #"$: must not match the schema in "not""#),
        SchemaCase(
            """
            {"if": {"properties": {"country": {"const": "US"}}},
             "then": {"required": ["zip"]}, "else": {"required": ["postcode"]}}
            """,
            #"{"country": "US"}"#,
            "$: missing required property 'zip'"
        ),
        SchemaCase(
            """
            {"if": {"properties": {"country": {"const": "US"}}},
             "then": {"required": ["zip"]}, "else": {"required": ["postcode"]}}
            """,
            #"{"country": "FR"}"#,
            "$: missing required property 'postcode'"
        ),
        SchemaCase(
            #"{"if": {"properties": {"country": {"const": "US"}}}, "then": {"required": ["zip"]}}"#,
            #"{"country": "US", "zip": "10001"}"#
        ),
    ]

    @Test("allOf, anyOf, oneOf, not, if/then/else", arguments: applicatorCases)
    func applicators(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    static let referenceCases: [SchemaCase] = [
        SchemaCase(
            """
            {"$defs": {"positive": {"type": "integer", "minimum": 1}},
             "properties": {"n": {"$ref": "#/$defs/positive"}}}
            """,
            #"{"n": 0}"#,
            "$.n: must be >= 1, got 0"
        ),
        SchemaCase(
            ##"{"definitions": {"name": {"type": "string"}}, "items": {"$ref": "#/definitions/name"}}"##, #"["a", 1]"#,
            "$[1]: expected string, got integer"
        ),
        SchemaCase(
            ##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2}"##, #""abc""#,
            "$: must be at most 2 characters long, got 3"
        ),
        SchemaCase(
            ##"{"type": "object", "properties": {"child": {"$ref": "#"}}, "additionalProperties": false}"##,
            #"{"child": {"child": {"x": 1}}}"#,
            "$.child.child.x: additional property not allowed"
        ),
        SchemaCase(
            ##"{"$defs": {"a/b": {"type": "integer"}}, "$ref": "#/$defs/a~1b"}"##, #""x""#,
            "$: expected integer, got string"),
        SchemaCase(##"{"$defs": {"a b": {"type": "integer"}}, "$ref": "#/$defs/a%20b"}"##, "1"),
        SchemaCase(
            ##"{"prefixItems": [{"type": "string"}], "items": {"$ref": "#/prefixItems/0"}}"##, #"["a", 2]"#,
            "$[1]: expected string, got integer"),
    ]

    @Test("local $ref", arguments: referenceCases)
    func references(_ testCase: SchemaCase) throws {
        try testCase.check()
    }

    @Test("a recursive tree schema validates trees of any depth")
    func recursiveTree() throws {
        let schema = try JSONSchema(
            json(
                """
                {"$ref": "#/$defs/node",
                 "$defs": {"node": {"type": "object", "required": ["value"], "additionalProperties": false,
                  "properties": {"value": {"type": "integer"},
                   "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
                """
            )
        )
        func tree(depth: Int) -> JSONValue {
            guard depth > 0 else { return ["value": .integer(0)] }
            return ["value": .integer(Int64(depth)), "children": [tree(depth: depth - 1), tree(depth: depth - 1)]]
        }
        #expect(schema.isValid(tree(depth: 8)))
        #expect(schema.validate(tree(depth: 8)).isEmpty)

        let broken = try json(
            #"{"value": 1, "children": [{"value": 2}, {"value": 3, "children": [{"value": "four"}, {"valu": 5}]}]}"#
        )
        #expect(
            schema.validate(broken).map(\.description) == [
                "$.children[1].children[0].value: expected integer, got string",
                "$.children[1].children[1]: missing required property 'value'",
                "$.children[1].children[1].valu: additional property not allowed",
            ]
        )
    }

    @Test("values nested deeper than the limit fail instead of exhausting the stack")
    func deepNesting() throws {
        let schema = try JSONSchema(json(##"{"items": {"$ref": "#"}}"##))
        var value: JSONValue = []
        for _ in 0..<1_000 { value = [value] }
        let violations = schema.validate(value)
        #expect(violations.count == 1)
        #expect(violations.first?.message == "is nested more than 128 levels deep")
        #expect(!schema.isValid(value))
        var shallow: JSONValue = []
        for _ in 0..<100 { shallow = [shallow] }
        #expect(schema.isValid(shallow))
    }

    static let booleanAndAnnotationCases: [SchemaCase] = [
        SchemaCase("true", #"{"anything": [1, null]}"#),
        SchemaCase("{}", "3.5"),
        SchemaCase("false", "1", "$: no value is allowed here"),
        SchemaCase(#"{"properties": {"a": false}}"#, #"{"a": 1}"#, "$.a: no value is allowed here"),
        SchemaCase(#"{"properties": {"a": true}, "additionalProperties": false}"#, #"{"a": 1}"#),
        SchemaCase(
            """
            {"title": "T", "description": "D", "default": 5, "examples": [1], "$comment": "c",
             "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/s",
             "deprecated": true, "readOnly": true, "writeOnly": false, "x-vendor": {"a": 1}, "type": "integer"}
            """,
            "3"
        ),
        SchemaCase(#"{"title": "T", "type": "integer"}"#, #""x""#, "$: expected integer, got string"),
        SchemaCase(#"{"type": "string", "nullable": true}"#, "null"),
        SchemaCase(#"{"type": "string", "nullable": true}"#, "5", "$: expected string or null, got integer"),
        SchemaCase(#"{"type": "string", "enum": ["a"], "nullable": true}"#, "null"),
        SchemaCase(#"{"type": "string", "nullable": false}"#, "null", "$: expected string, got null"),
    ]

    @Test("boolean schemas, annotations and nullable", arguments: booleanAndAnnotationCases)
    func booleansAndAnnotations(_ testCase: SchemaCase) throws {
        try testCase.check()
    }
}

/// One `format` check.
struct FormatCase: Sendable, CustomTestStringConvertible {
    let format: String
    let value: String
    let isValid: Bool

    var testDescription: String { "\(format) \(isValid ? "accepts" : "rejects") \(value)" }
}

@Suite("JSON Schema formats")
struct JSONSchemaFormatTests {
    private static let table: [(format: String, values: [String], isValid: Bool)] = [
        ("date", ["2024-02-29", "2000-02-29", "2023-12-31", "0001-01-01"], true),
        (
            "date",
            [
                "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-01",
                "2024/01/01", "20240101", "2024-01-01T00:00:00Z", "",
            ],
            false
        ),
        (
            "date-time",
            [
                "2024-05-01T13:45:00Z", "2024-05-01t13:45:00.123+02:00", "2024-02-29T00:00:00-00:00",
                "1998-12-31T23:59:60Z", "1998-12-31T15:59:60-08:00",
            ],
            true
        ),
        (
            "date-time",
            [
                "2024-05-01 13:45:00Z", "2024-05-01T13:45:00", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
                "2024-05-01T12:00:60Z", "2024-05-01T13:45:00+2:00", "2024-05-01T13:45Z",
            ],
            false
        ),
        ("time", ["13:45:00Z", "23:59:60Z", "08:30:00.5-05:00", "00:00:00+14:00"], true),
        ("time", ["13:45", "13:45:00", "25:00:00Z", "12:60:00Z", "12:00:00.Z", "12:00:60Z", "12:00:00+24:00"], false),
        (
            "email",
            [
                "a@b.co", "first.last+tag@mail.example.org", #""quoted name"@example.com"#, "user@[127.0.0.1]",
                "user@[IPv6:::1]", "a@localhost",
            ],
            true
        ),
        (
            "email",
            [
                "plain", "@example.com", "a@", "a..b@c.com", ".a@c.com", "a.@c.com", "a@-b.com", "a b@c.com",
                "a@b_c.com",
            ],
            false
        ),
        (
            "uri",
            [
                "https://example.com/path?q=1#frag", "mailto:a@b.co", "urn:isbn:0451450523", "http://[::1]:8080/",
                "https://example.com/a%20b", "file:///etc/hosts",
            ],
            true
        ),
        (
            "uri",
            [
                "example.com/path", "/relative", "https://exa mple.com", "1http://x", "https://x/%zz",
                "https://x/#a#b", "", ":no-scheme", "https://example.com/ü",
            ],
            false
        ),
        ("uuid", ["123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000"], true),
        (
            "uuid",
            [
                "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
                "123e4567-e89b-12d3-a456-4266141740000", "{123e4567-e89b-12d3-a456-426614174000}",
            ],
            false
        ),
        ("ipv4", ["192.168.0.1", "0.0.0.0", "255.255.255.255"], true),
        ("ipv4", ["256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "1.2.3.a", "", "1.2.3.4 "], false),
        (
            "ipv6",
            [
                "::1", "::", "1::", "2001:db8::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329",
                "::ffff:192.168.0.1", "1:2:3:4:5:6:7::",
            ],
            true
        ),
        (
            "ipv6",
            [
                "2001:db8::8a2e::7334", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "::1%eth0", ":1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8::", "g::1", "::256.1.1.1", "1.2.3.4::",
            ],
            false
        ),
    ]

    static let cases: [FormatCase] = table.flatMap { row in
        row.values.map { FormatCase(format: row.format, value: $0, isValid: row.isValid) }
    }

    @Test("formats", arguments: cases)
    func format(_ testCase: FormatCase) throws {
        let schema = try JSONSchema(.object(["format": .string(testCase.format)]))
        #expect(schema.isValid(.string(testCase.value)) == testCase.isValid)
        #expect(schema.validate(.string(testCase.value)).isEmpty == testCase.isValid)
    }

    @Test("format messages say what is expected; unknown formats and non-strings pass")
    func messages() throws {
        let date = try JSONSchema(json(#"{"format": "date"}"#))
        #expect(
            date.validate("2023-02-29").map(\.description) == [
                #"$: must be a valid date in YYYY-MM-DD form, got "2023-02-29""#
            ]
        )
        #expect(date.isValid(5))
        let unknown = try JSONSchema(json(#"{"format": "color-hex"}"#))
        #expect(unknown.isValid("not a colour"))
    }

    @Test("dates agree with the Gregorian calendar for every day around century leap-year rules")
    func datesAgreeWithCalendar() throws {
        let schema = try JSONSchema(json(#"{"type": "string", "format": "date"}"#))
        let calendar = Calendar(identifier: .gregorian)
        for year in Array(1896...1904) + Array(1996...2004) + Array(2096...2104) {
            for month in 1...12 {
                for day in 1...31 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let components = DateComponents(calendar: calendar, year: year, month: month, day: day)
                    #expect(schema.isValid(.string(text)) == components.isValidDate, "\(text)")
                }
            }
        }
    }
}

@Suite("JSON Schema compilation")
struct JSONSchemaCompilationTests {
    static let invalidSchemas: [(schema: String, path: String)] = [
        ("5", "#"),
        (#"{"type": "strin"}"#, "#/type"),
        (#"{"type": ["string", 1]}"#, "#/type"),
        (#"{"type": []}"#, "#/type"),
        (#"{"minLength": -1}"#, "#/minLength"),
        (#"{"minLength": 1.5}"#, "#/minLength"),
        (#"{"maxItems": "3"}"#, "#/maxItems"),
        (#"{"pattern": "[unclosed"}"#, "#/pattern"),
        (#"{"pattern": 5}"#, "#/pattern"),
        (#"{"required": "city"}"#, "#/required"),
        (#"{"required": ["a", 1]}"#, "#/required"),
        (#"{"properties": {"a": {"type": "nope"}}}"#, "#/properties/a/type"),
        (#"{"properties": []}"#, "#/properties"),
        (#"{"items": {"properties": {"a~b/c": {"minimum": "1"}}}}"#, "#/items/properties/a~0b~1c/minimum"),
        (##"{"$ref": "#/$defs/missing"}"##, "#/$ref"),
        (#"{"$ref": "https://example.com/schema.json"}"#, "#/$ref"),
        (##"{"$ref": "#anchor"}"##, "#/$ref"),
        (#"{"$ref": 5}"#, "#/$ref"),
        (##"{"$ref": "#"}"##, "#"),
        (##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}}"##, "#/$defs/a"),
        (#"{"enum": "a"}"#, "#/enum"),
        (#"{"multipleOf": 0}"#, "#/multipleOf"),
        (#"{"minimum": "1"}"#, "#/minimum"),
        (#"{"exclusiveMaximum": "5"}"#, "#/exclusiveMaximum"),
        (#"{"uniqueItems": "yes"}"#, "#/uniqueItems"),
        (#"{"anyOf": []}"#, "#/anyOf"),
        (#"{"allOf": {}}"#, "#/allOf"),
        (#"{"oneOf": [5]}"#, "#/oneOf/0"),
        (#"{"items": 5}"#, "#/items"),
        (#"{"prefixItems": [], "items": {}}"#, "#/prefixItems"),
        (#"{"additionalProperties": "no"}"#, "#/additionalProperties"),
        (#"{"patternProperties": {"(": {}}}"#, "#/patternProperties/("),
        (#"{"dependentRequired": {"a": "b"}}"#, "#/dependentRequired/a"),
        (#"{"format": 5}"#, "#/format"),
        (#"{"$defs": {"unused": {"minLength": -1}}}"#, "#/$defs/unused/minLength"),
        (#"{"nullable": "yes"}"#, "#/nullable"),
    ]

    @Test("invalid schemas throw with the path of the problem", arguments: invalidSchemas)
    func invalid(schema: String, path: String) throws {
        let source = try json(schema)
        let error = #expect(throws: JSONSchemaError.self) { try JSONSchema(source) }
        guard case .invalidSchema(let errorPath, let reason) = error else { return }
        #expect(errorPath == path)
        #expect(!reason.isEmpty)
    }

    @Test("errors and violations describe themselves")
    func descriptions() throws {
        let error = #expect(throws: JSONSchemaError.self) { try JSONSchema(json(#"{"minLength": -1}"#)) }
        #expect(
            error?.description == "invalid JSON Schema at #/minLength: minLength must be a non-negative integer, got -1"
        )
        #expect(SchemaViolation(path: "$.a", message: "m").description == "$.a: m")
    }

    @Test("the compiled schema keeps its source")
    func source() throws {
        let source = try json(#"{"type": "object", "properties": {"a": {"type": "string"}}}"#)
        #expect(try JSONSchema(source).source == source)
    }

    @Test("one compiled schema gives consistent answers for many generated values")
    func compiledOnceValidatesMany() throws {
        let numbers = try JSONSchema(
            json(#"{"type": "integer", "minimum": -50, "exclusiveMaximum": 100, "multipleOf": 3}"#))
        for integer in -300...300 {
            let expected = integer >= -50 && integer < 100 && integer % 3 == 0
            #expect(numbers.isValid(.integer(Int64(integer))) == expected, "\(integer)")
            #expect(numbers.validate(.integer(Int64(integer))).isEmpty == expected, "\(integer)")
            #expect(numbers.isValid(.number(Double(integer))) == expected, "\(integer).0")
            #expect(!numbers.isValid(.number(Double(integer) + 0.5)), "\(integer).5")
        }

        let strings = try JSONSchema(json(#"{"type": "string", "minLength": 3, "maxLength": 10, "pattern": "^a*$"}"#))
        for length in 0...20 {
            for text in [String(repeating: "a", count: length), String(repeating: "a", count: length) + "b"] {
                let expected = (3...10).contains(text.count) && !text.contains("b")
                #expect(strings.isValid(.string(text)) == expected, "\(text)")
                #expect(strings.validate(.string(text)).isEmpty == expected, "\(text)")
            }
        }

        let lists = try JSONSchema(
            json(#"{"type": "array", "items": {"type": "integer"}, "maxItems": 5, "uniqueItems": true}"#))
        for count in 0...8 {
            let distinct = JSONValue.array((0..<count).map { .integer(Int64($0)) })
            #expect(lists.isValid(distinct) == (count <= 5), "\(count) distinct")
            let repeated = JSONValue.array((0..<count).map { .integer(Int64($0 % 2)) })
            #expect(lists.isValid(repeated) == (count <= 2), "\(count) repeated")
            #expect(lists.validate(repeated).isEmpty == (count <= 2), "\(count) repeated")
        }
    }

    @Test("a compiled schema can be shared between concurrent validations")
    func concurrentValidation() async throws {
        let schema = try JSONSchema(
            json(#"{"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}"#))
        let results = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<64 {
                group.addTask { schema.isValid(["n": .integer(Int64(n % 20))]) == (n % 20 <= 10) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}

@Suite("JSON Schema for real tool definitions")
struct JSONSchemaToolTests {
    /// The shape OpenAI's strict function calling asks for: every property required, optional ones nullable.
    static let openAIWeather = #"""
        {
          "type": "object",
          "properties": {
            "location": {"type": "string", "description": "City and country, e.g. Bogotá, Colombia"},
            "units": {
              "type": ["string", "null"],
              "enum": ["celsius", "fahrenheit", null],
              "description": "Units the temperature will be returned in."
            }
          },
          "required": ["location", "units"],
          "additionalProperties": false
        }
        """#

    @Test("an OpenAI strict function schema")
    func openAIFunction() throws {
        let schema = try JSONSchema(json(Self.openAIWeather))
        #expect(schema.isValid(try json(#"{"location": "Paris, France", "units": null}"#)))
        #expect(schema.isValid(try json(#"{"location": "Bogotá, Colombia", "units": "celsius"}"#)))
        #expect(
            schema.validate(try json(#"{"location": "Paris"}"#)).map(\.description) == [
                "$: missing required property 'units'"
            ]
        )
        #expect(
            schema.validate(try json(#"{"location": 1, "units": "kelvin", "extra": true}"#)).map(\.description) == [
                "$.extra: additional property not allowed",
                "$.location: expected string, got integer",
                #"$.units: must be one of "celsius", "fahrenheit", null"#,
            ]
        )
    }

    /// What MCP servers built with zod-to-json-schema publish as a tool's `inputSchema`.
    static let mcpEditFile = #"""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "properties": {
            "path": {"type": "string"},
            "edits": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "oldText": {"type": "string", "description": "Text to search for - must match exactly"},
                  "newText": {"type": "string", "description": "Text to replace with"}
                },
                "required": ["oldText", "newText"],
                "additionalProperties": false
              }
            },
            "dryRun": {"type": "boolean", "default": false, "description": "Preview changes as a git-style diff"}
          },
          "required": ["path", "edits"],
          "additionalProperties": false
        }
        """#

    /// What Python MCP servers (FastMCP, pydantic) publish: `$defs`, `anyOf` with null, titles everywhere.
    static let mcpCreateTask = #"""
        {
          "$defs": {"Priority": {"enum": ["low", "high"], "title": "Priority", "type": "string"}},
          "properties": {
            "title": {"title": "Title", "type": "string", "minLength": 1},
            "priority": {"$ref": "#/$defs/Priority", "default": "low"},
            "due": {"anyOf": [{"format": "date", "type": "string"}, {"type": "null"}], "default": null, "title": "Due"},
            "tags": {"items": {"type": "string"}, "type": "array", "uniqueItems": true, "title": "Tags"},
            "notes": {"type": "string", "nullable": true}
          },
          "required": ["title"],
          "title": "create_taskArguments",
          "type": "object"
        }
        """#

    @Test("MCP tool input schemas")
    func mcpTools() throws {
        let edit = try JSONSchema(json(Self.mcpEditFile))
        #expect(edit.isValid(try json(#"{"path": "/tmp/a.txt", "edits": [{"oldText": "a", "newText": "b"}]}"#)))
        #expect(
            edit.validate(
                try json(
                    #"{"path": "/tmp/a.txt", "edits": [{"oldText": "a"}, {"old": "a", "newText": 2}], "dryRun": "yes"}"#
                )
            )
            .map(\.description) == [
                "$.dryRun: expected boolean, got string",
                "$.edits[0]: missing required property 'newText'",
                "$.edits[1]: missing required property 'oldText'",
                "$.edits[1].newText: expected string, got integer",
                "$.edits[1].old: additional property not allowed",
            ]
        )

        let task = try JSONSchema(json(Self.mcpCreateTask))
        #expect(
            task.isValid(
                try json(
                    #"{"title": "Ship it", "priority": "high", "due": "2024-02-29", "tags": ["a"], "notes": null}"#)
            )
        )
        #expect(task.isValid(try json(#"{"title": "Ship it", "due": null}"#)))
        #expect(
            task.validate(try json(#"{"priority": "urgent", "due": "2023-02-29", "tags": ["a", "a"], "notes": 3}"#))
                .map(\.description) == [
                    "$: missing required property 'title'",
                    #"$.due: must be a valid date in YYYY-MM-DD form, got "2023-02-29""#,
                    "$.notes: expected string or null, got integer",
                    #"$.priority: must be one of "low", "high""#,
                    "$.tags: must not contain duplicates, but items 0 and 1 are equal",
                ]
        )
        #expect(
            task.validate(try json(#"{"title": "x", "due": 20240229}"#)).map(\.description) == [
                "$.due: expected string or null, got integer"
            ]
        )
    }
}
