"""The official OpenAI Python SDK, unchanged, against Anvil's /v1 front: plain and streamed completions, a
client-side tool round trip, Anvil's own server-side tools, model listing and embeddings. The target is the
built-in offline model, so no provider is needed.

Configured the way any SDK user does it: OPENAI_BASE_URL (with /v1) and OPENAI_API_KEY (an Anvil API key)."""
import base64
import json
import struct

import openai
from openai import OpenAI

client = OpenAI()  # reads OPENAI_BASE_URL and OPENAI_API_KEY
MODEL = "local:anvil"

OPEN_URL_TOOL = {
    "type": "function",
    "function": {
        "name": "open_url",
        "description": "Open a web page and return its text",
        "parameters": {
            "type": "object",
            "properties": {"url": {"type": "string", "format": "uri", "description": "The page to open"}},
            "required": ["url"],
        },
    },
}


def plain_completion():
    completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hello!"}])
    assert completion.object == "chat.completion", completion
    assert completion.choices[0].finish_reason == "stop"
    assert completion.choices[0].message.role == "assistant"
    assert "not a language model" in completion.choices[0].message.content
    assert completion.usage.total_tokens > 0
    print("openai sdk: plain completion ok")


def client_tool_round_trip(stream):
    messages = [{"role": "user", "content": "Please open https://example.com/docs for me"}]
    if stream:
        chunks = list(client.chat.completions.create(
            model=MODEL, messages=messages, tools=[OPEN_URL_TOOL], stream=True,
            stream_options={"include_usage": True}))
        calls = {}
        finish = None
        for chunk in chunks:
            if chunk.usage is not None:
                assert chunk.choices == []
                usage = chunk.usage
                continue
            choice = chunk.choices[0]
            finish = choice.finish_reason or finish
            for delta in choice.delta.tool_calls or []:
                entry = calls.setdefault(delta.index, {"id": None, "name": None, "arguments": ""})
                if delta.id:
                    entry["id"] = delta.id
                if delta.function and delta.function.name:
                    entry["name"] = delta.function.name
                if delta.function and delta.function.arguments:
                    entry["arguments"] += delta.function.arguments
        assert finish == "tool_calls", finish
        assert usage.total_tokens > 0
        call = calls[0]
        call_id, name, arguments = call["id"], call["name"], call["arguments"]
    else:
        completion = client.chat.completions.create(model=MODEL, messages=messages, tools=[OPEN_URL_TOOL])
        choice = completion.choices[0]
        assert choice.finish_reason == "tool_calls", choice
        tool_call = choice.message.tool_calls[0]
        call_id, name, arguments = tool_call.id, tool_call.function.name, tool_call.function.arguments
    assert name == "open_url", name
    assert json.loads(arguments) == {"url": "https://example.com/docs"}, arguments

    # The client runs its own tool and sends the result back.
    messages.append({"role": "assistant", "content": None, "tool_calls": [
        {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}]})
    messages.append({"role": "tool", "tool_call_id": call_id, "content": "Example Domain: documentation page"})
    answer = client.chat.completions.create(model=MODEL, messages=messages, tools=[OPEN_URL_TOOL])
    text = answer.choices[0].message.content
    assert answer.choices[0].finish_reason == "stop"
    assert "Example Domain" in text, text
    print(f"openai sdk: client tool round trip ok (stream={stream})")


def server_tools():
    completion = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "What time is it in Europe/Paris?"}],
        extra_body={"anvil_tools": ["current_time"]})
    assert "Europe/Paris" in completion.choices[0].message.content, completion
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "What time is it in Asia/Tokyo?"}],
            extra_body={"anvil_tools": ["current_time"]}, stream=True)
        if chunk.choices)
    assert "Asia/Tokyo" in streamed, streamed
    print("openai sdk: server-side tools ok")


def models_and_embeddings():
    ids = [model.id for model in client.models.list()]
    assert MODEL in ids, ids
    floats = client.embeddings.create(model="local:anvil-embed", input=["hello world", "bonjour"])
    assert len(floats.data) == 2 and len(floats.data[0].embedding) == 256
    raw = client.embeddings.with_raw_response.create(
        model="local:anvil-embed", input="hello world", encoding_format="base64")
    encoded = json.loads(raw.text)["data"][0]["embedding"]
    decoded = struct.unpack("<256f", base64.b64decode(encoded))
    assert all(abs(a - b) < 1e-6 for a, b in zip(decoded, floats.data[0].embedding))
    print("openai sdk: models and embeddings ok")


def errors():
    try:
        client.chat.completions.create(model="nope:model", messages=[{"role": "user", "content": "hi"}])
    except openai.BadRequestError as error:
        assert error.status_code == 400
    else:
        raise AssertionError("an unknown model must be a 400")
    bad_key = OpenAI(api_key="anv_not-a-key")
    try:
        bad_key.models.list()
    except openai.AuthenticationError as error:
        assert error.status_code == 401
    else:
        raise AssertionError("a bad key must be a 401")
    print("openai sdk: errors ok")


if __name__ == "__main__":
    plain_completion()
    client_tool_round_trip(stream=False)
    client_tool_round_trip(stream=True)
    server_tools()
    models_and_embeddings()
    errors()
