"""The one SMTP server of the tests: a little real one in a thread of the test process. It
speaks enough SMTP for Django's smtp backend (smtplib), so any process (this one, a Celery
worker, an app server) can send to it, and it keeps every message it is given, so a test can
count each Message-ID. It can refuse, stall or be slow on demand:

- `accept` (the default): takes each message and keeps it once the client has sent all of it.
  `delay` seconds before answering each MAIL FROM make it slow; `stall_after` stalls (for
  `stall_seconds`) the MAIL FROM after that many messages in all, so a message is in flight,
  not yet accepted, while the server says nothing.
- `refuse`: greets every connection with 554 and closes it (a server refusing service).
- `stall`: accepts the connection and says nothing for `stall_seconds` (past EMAIL_TIMEOUT).

A message is kept only when its data is complete and its 250 is being sent, as a real server
would queue it; a client that dies before that leaves nothing kept.
"""

import contextlib
import email
import socketserver
import threading
import time
from collections import Counter


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpServer:
    def __init__(self):
        self.mode = "accept"
        self.delay = 0.0
        self.stall_seconds = 5.0
        self.stall_after = None
        self.messages: list[email.message.Message] = []  # in the order accepted
        self.connections = []  # (time.monotonic(), mode) of each connection
        self.stalled = threading.Event()  # set when a stall begins
        self.lock = threading.Lock()
        server = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 30

            def handle(self):
                # OSError: the client gave up, or died: nothing more to say.
                with contextlib.suppress(OSError):
                    server._converse(self.rfile, self.wfile)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "SmtpServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "SmtpServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def received(self) -> list[str]:
        """The Message-IDs of the messages accepted, in order."""
        with self.lock:
            return [message["Message-ID"] for message in self.messages]

    def message_ids(self) -> Counter:
        """How many times each Message-ID was accepted."""
        return Counter(self.received)

    def clear(self) -> None:
        """Forget every message, connection and stall so far."""
        with self.lock:
            self.messages.clear()
        self.connections.clear()
        self.stalled.clear()

    def reset(self) -> None:
        """Back to accepting at once, with nothing received."""
        self.mode, self.delay, self.stall_after, self.stall_seconds = "accept", 0.0, None, 5.0
        self.clear()

    def _stall(self):
        self.stalled.set()
        time.sleep(self.stall_seconds)

    def _converse(self, rfile, wfile):
        mode = self.mode
        self.connections.append((time.monotonic(), mode))

        def say(line):
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        if mode == "refuse":
            say("554 5.3.2 No service here now")
            return
        if mode == "stall":
            self._stall()
            return
        say("220 test.invalid ESMTP")
        while True:
            line = rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                say("250-test.invalid")
                say("250 8BITMIME")
            elif verb == "HELO":
                say("250 test.invalid")
            elif verb == "MAIL":
                with self.lock:
                    so_far = len(self.messages)
                if self.stall_after is not None and so_far >= self.stall_after:
                    self.stall_after = None  # once
                    self._stall()
                    return
                time.sleep(self.delay)
                say("250 OK")
            elif verb == "RCPT":
                say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = rfile.readline()
                    if not chunk:
                        return  # the client went before its data was complete: not taken
                    if chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                message = email.message_from_bytes(b"".join(data))
                with self.lock:
                    self.messages.append(message)
                say("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                say("250 OK")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("502 Command not implemented")
