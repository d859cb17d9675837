import SQLKit

/// The core schema: accounts, credentials, chats and messages. Plugins append their own migrations after these.
public enum CoreMigrations {
    public static let all: [Migration] = [accounts, chats, usage, SearchMigrations.searchIndex, promptTemplates]

    static let accounts = Migration(id: "core.0001_accounts") { db, types in
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("email", type: .text, .notNull)
            .column("email_normalized", type: .text, .notNull, .unique)
            .column("password_hash", type: .text, .notNull)
            .column("display_name", type: .text)
            .column("is_admin", type: types.boolean, .notNull, .default(false))
            .column("credential_version", type: .bigint, .notNull, .default(0))
            .column("created_at", type: types.timestamp, .notNull)
            .column("updated_at", type: types.timestamp, .notNull)
            .run()

        try await db.create(table: "refresh_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("family_id", type: .text, .notNull)
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: types.timestamp, .notNull)
            .column("expires_at", type: types.timestamp, .notNull)
            .column("rotated_at", type: types.timestamp)
            .column("revoked_at", type: types.timestamp)
            .run()
        try await db.create(index: "refresh_tokens_family_idx").on("refresh_tokens").column("family_id").run()
        try await db.create(index: "refresh_tokens_user_idx").on("refresh_tokens").column("user_id").run()

        try await db.create(table: "api_keys")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("prefix", type: .text, .notNull)
            .column("key_hash", type: .text, .notNull, .unique)
            .column("created_at", type: types.timestamp, .notNull)
            .column("expires_at", type: types.timestamp)
            .column("last_used_at", type: types.timestamp)
            .run()
        try await db.create(index: "api_keys_user_idx").on("api_keys").column("user_id").run()

        try await db.create(table: "provider_keys")
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("provider", type: .text, .notNull)
            .column("sealed_key", type: types.bytes, .notNull)
            .column("created_at", type: types.timestamp, .notNull)
            .column("updated_at", type: types.timestamp, .notNull)
            .primaryKey("user_id", "provider")
            .run()
    }

    static let chats = Migration(id: "core.0002_chats") { db, types in
        try await db.create(table: "chats")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("title", type: .text, .notNull)
            .column("model", type: .text)
            .column("system_prompt", type: .text)
            .column("tools", type: .text)
            .column("metadata", type: .text, .notNull)
            .column("is_archived", type: types.boolean, .notNull, .default(false))
            .column("created_at", type: types.timestamp, .notNull)
            .column("updated_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "chats_user_created_idx").on("chats").column("user_id").column("created_at").run()

        // `seq` orders messages exactly as they were committed, even when two share a timestamp.
        try await db.create(table: "messages")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: true))
            .column("id", type: .text, .notNull, .unique)
            .column("chat_id", type: .text, .notNull, .references("chats", "id", onDelete: .cascade))
            .column("role", type: .text, .notNull)
            .column("content", type: .text)
            .column("tool_calls", type: .text)
            .column("tool_call_id", type: .text)
            .column("name", type: .text)
            .column("model", type: .text)
            .column("status", type: .text, .notNull)
            .column("prompt_tokens", type: .bigint, .notNull, .default(0))
            .column("completion_tokens", type: .bigint, .notNull, .default(0))
            .column("metadata", type: .text, .notNull)
            .column("created_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "messages_chat_seq_idx").on("messages").column("chat_id").column("seq").run()
    }

    static let usage = Migration(id: "core.0003_usage") { db, types in
        // NULL means the server's default limit at the time of the check.
        try await db.alter(table: "chats").column("token_limit", type: .bigint).run()

        // One row per model call. Rows outlive a deleted chat (chat_id becomes NULL) so per-user totals stay true.
        try await db.create(table: "usage_records")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("chat_id", type: .text, .references("chats", "id", onDelete: .setNull))
            .column("model", type: .text, .notNull)
            .column("prompt_tokens", type: .bigint, .notNull)
            .column("completion_tokens", type: .bigint, .notNull)
            .column("created_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "usage_records_chat_idx").on("usage_records").column("chat_id").run()
        try await db.create(index: "usage_records_user_idx").on("usage_records").column("user_id").column("created_at")
            .run()

        // Tokens set aside for runs in progress, so concurrent sends cannot together overspend a chat's limit.
        // A reservation that outlives its run (a killed process) expires instead of blocking the chat forever.
        try await db.create(table: "token_reservations")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("chat_id", type: .text, .notNull, .references("chats", "id", onDelete: .cascade))
            .column("tokens", type: .bigint, .notNull)
            .column("expires_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "token_reservations_chat_idx").on("token_reservations").column("chat_id").run()
    }

    static let promptTemplates = Migration(id: "core.0005_prompt_templates") { db, types in
        try await db.create(table: "prompt_templates")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("description", type: .text)
            .column("source", type: .text, .notNull)
            .column("created_at", type: types.timestamp, .notNull)
            .column("updated_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "prompt_templates_user_created_idx").on("prompt_templates")
            .column("user_id").column("created_at").run()
    }
}
