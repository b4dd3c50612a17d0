"""aiosmtpd handler for the escalation benchmark: accepts every message and appends one line per message to a file,
"<epoch seconds> <client port> <Message-ID>", flushed per line, so the benchmark can count what the server accepted,
when, over how many connections, and find any Message-ID received twice. Nothing is stored.

    PYTHONPATH=<this folder> /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_counter.Counter OUTFILE
"""
import re
import time

_MESSAGE_ID = re.compile(rb'^Message-ID:[ \t]*<([^>\r\n]+)>', re.IGNORECASE | re.MULTILINE)


class Counter:
    def __init__(self, path):
        self._out = open(path, 'a', buffering=1, encoding='ascii', errors='replace')

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error('usage: -c smtp_counter.Counter OUTFILE')
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b'\r\n\r\n', 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1).decode('ascii', 'replace') if found else '-'
        self._out.write('%.6f %d %s\n' % (time.time(), session.peer[1], message_id))
        return '250 OK'
