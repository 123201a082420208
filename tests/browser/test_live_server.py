"""The browser tests' server closes what it sends even when the browser hangs up mid-response."""
import gc
import socket
import struct
from urllib.parse import urlsplit


def test_a_dropped_connection_leaves_no_file_open(live_server):
    """Pytest turns the ResourceWarning of a file left open into a failure of this test."""
    address = urlsplit(live_server)
    for _ in range(40):
        with socket.create_connection((address.hostname, address.port)) as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            client.sendall(b"GET /static/css/plaza.css HTTP/1.1\r\nHost: plaza\r\n\r\n")
            client.recv(100)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    gc.collect()
