import AnvilCore
import Foundation
import Testing

@Suite("Account rules")
struct AccountRulesTests {
    @Test(
        "plausible emails",
        arguments: ["a@b.co", "first.last+tag@mail.example.org", "x@sub-domain.example"]
    )
    func accepts(email: String) {
        #expect(AccountRules.isPlausibleEmail(email))
    }

    @Test(
        "implausible emails",
        arguments: ["", "plain", "@example.com", "a@", "a@b", "a@@b.co", "a b@c.co", "a@-b.co", "a@b..co", "a@b_c.co"]
    )
    func rejects(email: String) {
        #expect(!AccountRules.isPlausibleEmail(email))
    }

    @Test("passwords must be 8 to 1024 characters")
    func passwords() {
        #expect(AccountRules.passwordProblem("1234567") != nil)
        #expect(AccountRules.passwordProblem("12345678") == nil)
        #expect(AccountRules.passwordProblem(String(repeating: "é", count: 1024)) == nil)
        #expect(AccountRules.passwordProblem(String(repeating: "é", count: 1025)) != nil)
    }

    @Test("tool and provider names")
    func names() {
        #expect(ChatRules.isValidToolName("web_browse"))
        #expect(ChatRules.isValidToolName("mcp-files_read"))
        #expect(!ChatRules.isValidToolName(""))
        #expect(!ChatRules.isValidToolName("has space"))
        #expect(!ChatRules.isValidToolName(String(repeating: "a", count: 65)))
        #expect(ProviderKeyStatus.isValidProviderName("openai"))
        #expect(!ProviderKeyStatus.isValidProviderName("OpenAI"))
        #expect(!ProviderKeyStatus.isValidProviderName("1password"))
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("round trips keep integers apart from other numbers")
    func roundTrip() throws {
        let value: JSONValue = ["int": 9_007_199_254_740_993, "double": 1.5, "list": [true, nil, "s"], "empty": [:]]
        let data = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(decoded == value)
        #expect(decoded.objectValue?["int"] == .integer(9_007_199_254_740_993))
        #expect(decoded.objectValue?["double"]?.typeName == "number")
    }
}
