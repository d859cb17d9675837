"""Tools declared in manifests, through a real server: an HTTP tool and a Python MCP server are listed, invoked
directly and called by the agent loop. Run by .ci/e2e.sh against a server started with those manifests."""

import os
import time
import uuid

import requests

BASE = os.environ["ANVIL_E2E_BASE_URL"]


def main() -> None:
    session = requests.Session()
    email = f"tools-{uuid.uuid4().hex[:8]}@example.com"
    response = session.post(f"{BASE}/api/v1/auth/register", json={"email": email, "password": "correct horse battery"})
    response.raise_for_status()
    session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    tools = {tool["name"]: tool for tool in session.get(f"{BASE}/api/v1/tools").json()["data"]}
    assert tools["fixture_greeting"]["source"] == "http", tools["fixture_greeting"]
    assert tools["calc_add"]["source"] == "mcp" and tools["calc_add"]["origin"] == "calc", tools["calc_add"]
    assert tools["web_browse"]["source"] == "plugin" and tools["web_browse"]["origin"] == "web_browse"
    assert tools["calc_add"]["parameters"]["required"] == ["a", "b"], tools["calc_add"]["parameters"]

    greeting = session.post(f"{BASE}/api/v1/tools/fixture_greeting/invoke", json={"arguments": {}}).json()
    assert "hello from the fixture" in greeting["content"], greeting

    deadline = time.monotonic() + 30
    while True:
        added = session.post(f"{BASE}/api/v1/tools/calc_add/invoke", json={"arguments": {"a": 2, "b": 40}}).json()
        if not added.get("is_error") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert added == {"content": "42", "is_error": False} or added.get("content") == "42", added

    invalid = session.post(f"{BASE}/api/v1/tools/calc_add/invoke", json={"arguments": {"a": "two"}})
    assert invalid.status_code == 400 and invalid.json()["error"] == "invalid_arguments", invalid.text

    chat = session.post(f"{BASE}/api/v1/chats", json={"title": "declared tools"}).json()
    sent = session.post(
        f"{BASE}/api/v1/chats/{chat['id']}/messages",
        json={"content": 'Please shout the text "it works"', "tools": ["calc_shout"]},
    )
    sent.raise_for_status()
    messages = sent.json()["messages"]
    assert [m["role"] for m in messages] == ["assistant", "tool", "assistant"], messages
    assert messages[1]["content"] == "IT WORKS", messages
    print("declared tools ok")


if __name__ == "__main__":
    main()
