"""A small MCP server for tests: `python mcp_server.py` speaks stdio; `python mcp_server.py http PORT` serves
streamable HTTP on 127.0.0.1:PORT/mcp."""

import os
import sys
import time

from mcp.server.mcpserver import MCPServer

server = MCPServer("anvil-test")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers and return the sum."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """Return the text in upper case."""
    return text.upper()


@server.tool()
def slow(seconds: float) -> str:
    """Sleep for the given number of seconds, then answer."""
    time.sleep(seconds)
    return "done"


@server.tool()
def whoami() -> str:
    """Return this server's process id and the TEST_GREETING environment variable."""
    return f"{os.getpid()} {os.environ.get('TEST_GREETING', '')}"


@server.tool()
def crash() -> str:
    """Exit the server process at once."""
    os._exit(3)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run()
