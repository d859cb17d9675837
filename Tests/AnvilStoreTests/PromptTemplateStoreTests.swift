import AnvilCore
import AnvilStore
import AnvilTestSupport
import Foundation
import Testing

@Suite("Prompt template store on SQLite and PostgreSQL")
struct PromptTemplateStoreTests {
    @Test("templates are stored per owner, listed newest first and paged", arguments: TestDatabase.available)
    func ownerScopedPages(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await store.users.create(
                email: "owner@example.com", passwordHash: "h", displayName: nil, isAdmin: false)
            let other = try await store.users.create(
                email: "other@example.com", passwordHash: "h", displayName: nil, isAdmin: false)
            let start = Date(timeIntervalSince1970: 1_769_853_600)
            for index in 0..<3 {
                let at = start.addingTimeInterval(Double(index))
                try await store.promptTemplates.create(
                    SavedPromptTemplate(
                        id: "t\(index)", userID: owner.id, name: "Template \(index)",
                        description: index == 0 ? "first" : nil, source: "{{x\(index)}}", createdAt: at, updatedAt: at
                    ))
            }
            let page = try await store.promptTemplates.list(userID: owner.id, page: PageRequest(limit: 2, offset: 0))
            #expect(page.total == 3)
            #expect(page.items.map(\.id) == ["t2", "t1"])
            #expect(try await store.promptTemplates.list(userID: other.id, page: PageRequest()).total == 0)

            var first = try #require(try await store.promptTemplates.find(id: "t0", userID: owner.id))
            #expect(first.description == "first" && first.source == "{{x0}}")
            #expect(try await store.promptTemplates.find(id: "t0", userID: other.id) == nil)

            first.name = "Renamed"
            first.description = nil
            #expect(try await store.promptTemplates.update(first))
            #expect(try await store.promptTemplates.find(id: "t0", userID: owner.id)?.name == "Renamed")
            #expect(try await store.promptTemplates.find(id: "t0", userID: owner.id)?.description == nil)
            var stolen = first
            stolen.userID = other.id
            #expect(try await !store.promptTemplates.update(stolen))

            #expect(try await !store.promptTemplates.delete(id: "t0", userID: other.id))
            #expect(try await store.promptTemplates.delete(id: "t0", userID: owner.id))
            #expect(try await store.promptTemplates.find(id: "t0", userID: owner.id) == nil)
        }
    }
}
