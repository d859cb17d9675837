"""The README's quick start, done by a client: register, log in, create and list chats, and check that the
data is still there after the server restarts. Each phase is run as its own process; state passes through a
JSON file."""
import json
import os
import sys

import requests

BASE = os.environ["ANVIL_E2E_BASE_URL"]
STATE = os.environ["ANVIL_E2E_STATE"]
EMAIL = "quickstart@example.com"
PASSWORD = "correct horse battery"


def check(response, status):
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.url}: expected {status}, got "
                         f"{response.status_code}: {response.text}")
    if "X-Request-Id" not in response.headers:
        raise SystemExit(f"{response.url}: no X-Request-Id")
    return response.json() if response.content else None


def before_restart():
    session = check(requests.post(f"{BASE}/api/v1/auth/register",
                                  json={"email": EMAIL, "password": PASSWORD}), 201)
    token = session["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    chat = check(requests.post(f"{BASE}/api/v1/chats", json={"title": "First chat"}, headers=auth), 201)
    listed = check(requests.get(f"{BASE}/api/v1/chats", headers=auth), 200)
    assert listed["total"] == 1 and listed["data"][0]["id"] == chat["id"], listed
    bad = check(requests.post(f"{BASE}/api/v1/chats", data="{oops", headers=auth), 400)
    assert bad["error"] == "invalid_request", bad
    with open(STATE, "w") as f:
        json.dump({"chat_id": chat["id"], "refresh_token": session["refresh_token"]}, f)
    print("quickstart: registered, created and listed a chat")


def after_restart():
    with open(STATE) as f:
        state = json.load(f)
    session = check(requests.post(f"{BASE}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}), 200)
    auth = {"Authorization": f"Bearer {session['access_token']}"}
    listed = check(requests.get(f"{BASE}/api/v1/chats", headers=auth), 200)
    assert [c["id"] for c in listed["data"]] == [state["chat_id"]], listed
    refreshed = check(requests.post(f"{BASE}/api/v1/auth/refresh",
                                    json={"refresh_token": state["refresh_token"]}), 200)
    assert refreshed["refresh_token"] != state["refresh_token"]
    print("quickstart: after restart, login works and the chat is intact")

    # The web_browse plugin is registered, and its address guard refuses loopback without an allow-list.
    sent = check(requests.post(f"{BASE}/api/v1/chats/{state['chat_id']}/messages",
                               json={"content": f"Please open {BASE}/health", "tools": ["web_browse"]},
                               headers=auth), 200)
    tool_results = [m for m in sent["messages"] if m["role"] == "tool"]
    assert tool_results and tool_results[0]["name"] == "web_browse", sent
    assert tool_results[0]["metadata"].get("is_error") is True, tool_results
    assert "127.0.0.1" in tool_results[0]["content"], tool_results
    print("quickstart: web_browse is offered and refuses loopback addresses")


def api_key():
    session = check(requests.post(f"{BASE}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}), 200)
    auth = {"Authorization": f"Bearer {session['access_token']}"}
    key = check(requests.post(f"{BASE}/api/v1/auth/api-keys", json={"name": "e2e"}, headers=auth), 201)
    print(key["key"])


if __name__ == "__main__":
    {"before-restart": before_restart, "after-restart": after_restart, "api-key": api_key}[sys.argv[1]]()
