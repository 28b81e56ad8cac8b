# SPDX-License-Identifier: Apache-2.0
"""`wirekit decode --pcap`: captures written here through libpcap's own writer
(pcap_open_dead + pcap_dump, by ctypes) with Ethernet/IPv4/IPv6/UDP/TCP packets
built byte by byte (packet_builder.py) around messages of the repository's
schemas, decoded message for message: each line's packet number, time,
addresses, ports, packet sequence number and sending time are the ones
written, and its message is the one encoded (the encoder gives the same
bytes back from it). tshark reads the same files; hostile captures give one
error line naming the packet and byte offset."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
from unittest import mock

import pytest

from conftest import CODEGEN, REPO
import packet_builder as pb

sys.path.insert(0, os.path.join(REPO, "tests", "codec"))

from crosscheck import Generator  # noqa: E402
from wirekit_codegen import cli  # noqa: E402
from wirekit_codegen.capture import libpcap  # noqa: E402
from wirekit_codegen.compiler import load_schema  # noqa: E402
from wirekit_codegen.wire.codec import WireError, decode_message, encode_json_lines  # noqa: E402

try:
    libpcap.library()
except libpcap.LibpcapMissing as missing:
    pytest.skip(f"{missing} (scripts/install-deps installs it)", allow_module_level=True)

WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
TSHARK, EDITCAP = shutil.which("tshark"), shutil.which("editcap")
TRADING = os.path.join(REPO, "schemas", "examples", "trading.wk")
MD_XML = os.path.join(REPO, "schemas", "sbe", "md_incremental.xml")
BE_XML = os.path.join(REPO, "schemas", "sbe", "order_entry_be.xml")
UDP_FRAMINGS = ["cme-mdp3", "b3-umdf", "coinbase-cde", "sofh", "length-u16-le", "length-u16-be", "length-u32-le",
                "length-u32-be"]
PACKET_HEADER = {"cme-mdp3", "b3-umdf", "coinbase-cde"}
T0 = 1_796_496_650_123_456_789  # 2026-12-05T18:50:50.123456789Z
_schemas = {}


def schema_of(path):
    if path not in _schemas:
        _schemas[path] = load_schema(path)
    return _schemas[path]


def run(*args):
    """cli.main in this process: (status, stdout lines, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "stdout", out), mock.patch.object(sys, "stderr", err):
        try:
            status = cli.main([str(a) for a in args])
        except SystemExit as done:
            status = done.code
    text = out.getvalue()
    assert "Traceback" not in err.getvalue()
    return status, (text.split("\n")[:-1] if text else []), err.getvalue()


def random_messages(path, rng, count, max_size=1200):
    """count messages of the schema at path: (JSON line, bytes), each at most max_size bytes."""
    schema, generator, out = schema_of(path), Generator(rng), []
    while len(out) < count:
        message = rng.choice(schema.messages)
        line = json.dumps({message.name: generator.fields(message.fields)}, ensure_ascii=False)
        data = encode_json_lines(schema, [line])
        if len(data) <= max_size:
            out.append((line, data))
    return out


def write_capture(path, packets, link_type=pb.ETHERNET):
    with libpcap.Writer(str(path), link_type) as writer:
        for when, data in packets:
            writer.write(when, data)


def check_message(schema_path, line, data):
    """The decoded message is the one encoded: the same JSON as decoding the
    bytes gives, and the encoder gives the same bytes back from it."""
    schema = schema_of(schema_path)
    text = json.dumps(line["message"], ensure_ascii=False)
    assert line["message"] == json.loads(decode_message(schema, data)[0])
    assert encode_json_lines(schema, [text]) == data


@pytest.mark.parametrize("schema_path", [TRADING, MD_XML], ids=os.path.basename)
@pytest.mark.parametrize("framing", UDP_FRAMINGS)
def test_udp_datagrams_message_for_message(framing, schema_path, tmp_path):
    rng = random.Random(f"{framing}:{os.path.basename(schema_path)}")
    packets, expected = [], []
    for number in range(1, 31):
        messages = random_messages(schema_path, rng, rng.randint(1, 4))
        seq, sent, when = 1000 + number, T0 - 5000 + number, T0 + number * 1_000_017
        src, dst = f"10.0.{number % 3}.1", "239.1.1.7"
        payload = pb.datagram(framing, [data for _, data in messages], seq, sent)
        packets.append((when, pb.udp_packet(src, dst, 40000 + number % 2, 14310, payload)))
        expected += [(number, when, src, 40000 + number % 2, seq, sent, data) for _, data in messages]
    capture = tmp_path / "feed.pcap"
    write_capture(capture, packets)
    status, lines, err = run("decode", "--pcap", capture, "--framing", framing, schema_path)
    assert status == 0, err
    assert len(lines) == len(expected)
    for text, (number, when, src, port, seq, sent, data) in zip(lines, expected):
        line = json.loads(text)
        assert line["packet"] == number and line["proto"] == "udp"
        assert line["src"] == src and line["srcPort"] == port and line["dst"] == "239.1.1.7" and line["dstPort"] == 14310
        seconds, nanoseconds = divmod(when, 1_000_000_000)
        assert line["time"] == time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanoseconds:09d}Z"
        if framing in PACKET_HEADER:
            assert line["seq"] == seq and line["sendingTime"] == sent
        else:
            assert "seq" not in line and "sendingTime" not in line
        check_message(schema_path, line, data)


LINKS = [("ethernet", pb.ETHERNET, None), ("vlan", pb.ETHERNET, 42), ("raw", pb.RAW, None), ("null", pb.NULL, None),
         ("loop", pb.LOOP, None), ("sll", pb.LINUX_SLL, None), ("sll2", pb.LINUX_SLL2, None)]


@pytest.mark.parametrize("name,link_type,vlan", LINKS, ids=[link[0] for link in LINKS])
@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
def test_link_types_and_ip_versions(name, link_type, vlan, family, tmp_path):
    rng = random.Random(name + family)
    src, dst = ("192.168.1.2", "10.9.8.7") if family == "ipv4" else ("2001:db8::2", "ff02::1:3")
    messages = random_messages(TRADING, rng, 6)
    packets = [(T0 + i, pb.udp_packet(src, dst, 5000 + i, 6000, pb.datagram("cme-mdp3", [data], i), link_type, vlan))
               for i, (_, data) in enumerate(messages)]
    packets.insert(2, (T0, pb.link(link_type, pb.ip(src, dst, 1, b"\x08\x00" + bytes(30)), vlan)))  # ICMP: passed over
    if link_type == pb.ETHERNET:  # ARP: not IP, passed over
        packets.insert(4, (T0, bytes(12) + b"\x08\x06" + bytes(28)))
    capture = tmp_path / "links.pcap"
    write_capture(capture, packets, link_type)
    status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 0, err
    assert len(lines) == len(messages)
    for i, (text, (_, data)) in enumerate(zip(lines, messages)):
        line = json.loads(text)
        assert (line["src"], line["srcPort"], line["dst"], line["dstPort"], line["seq"]) == (src, 5000 + i, dst, 6000, i)
        check_message(TRADING, line, data)


def test_ipv6_extension_headers(tmp_path):
    """Hop-by-hop and destination options are stepped over; an atomic fragment
    header too; a real fragment is an error naming the header's byte."""
    src, dst = "2001:db8::1", "2001:db8::2"
    (_, data), = random_messages(TRADING, random.Random(12), 1)
    datagram = pb.udp(src, dst, 7, 8, pb.datagram("cme-mdp3", [data], 3))

    def packet(*extensions: tuple[int, bytes]) -> bytes:
        """IPv6 with extension headers (their type, their bytes) before UDP."""
        chain, body = [kind for kind, _ in extensions] + [pb.UDP], b""
        for (_, header), following in zip(extensions, chain[1:]):
            body += bytes([following]) + header[1:]
        ip = pb.ip(src, dst, chain[0], body + datagram)
        return pb.link(pb.ETHERNET, ip)

    hop_by_hop, options = (0, bytes(8)), (60, bytes([0, 1]) + bytes(14))  # 8 bytes; (1 + 1) * 8 bytes
    atomic, fragment = (44, bytes(8)), (44, bytes([0, 0, 0, 1]) + bytes(4))  # offset 0, M set
    capture = tmp_path / "v6.pcap"
    write_capture(capture, [(T0, packet(hop_by_hop, options)), (T0, packet(atomic))])
    status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 0 and len(lines) == 2, err
    for line in lines:
        check_message(TRADING, json.loads(line), data)
    write_capture(capture, [(T0, packet(hop_by_hop, fragment))])
    status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 1
    assert err == f"wirekit: error: {capture}: packet 1, byte 62: an IPv6 fragment (IP fragments are not reassembled)\n"


class TcpConversation:
    """Packets of TCP connections with sequence numbers tracked per direction."""

    def __init__(self):
        self.packets, self.next_seq = [], {}
        self.clock = T0

    def add(self, src, dst, sport, dport, seq, flags, payload=b""):
        self.clock += 1000
        self.packets.append((self.clock, pb.tcp_packet(src, dst, sport, dport, seq, flags, payload)))
        return len(self.packets)

    def open(self, a, b, isn_a, isn_b):
        (src, sport), (dst, dport) = a, b
        self.add(src, dst, sport, dport, isn_a, pb.SYN)
        self.add(dst, src, dport, sport, isn_b, pb.SYN)
        self.next_seq[a + b], self.next_seq[b + a] = isn_a + 1, isn_b + 1

    def send(self, a, b, data, rng, disorder=False):
        """data from a to b in segments cut at random points (with disorder:
        the first two swapped, some sent again reaching 3 bytes further);
        returns, for each byte, the packet number after which it is in order."""
        seq = self.next_seq[a + b]
        self.next_seq[a + b] = seq + len(data)
        points = sorted({0, len(data), *(rng.randrange(1, len(data)) for _ in range(rng.randint(1, 6)))})
        segments = list(zip(points, points[1:]))
        if disorder and len(segments) > 2:
            segments[0], segments[1] = segments[1], segments[0]
        sends = []
        for start, end in segments:
            sends.append((start, end))
            if disorder and rng.random() < 0.3:
                sends.append((start, min(len(data), end + 3)))
        completes, arrived, in_order = [], [], 0
        for start, end in sends:
            packet = self.add(a[0], b[0], a[1], b[1], seq + start, pb.PSH, data[start:end])
            arrived.append((start, end))
            grew = True
            while grew:
                grew = False
                for s, e in arrived:
                    if s <= in_order < e:
                        in_order, grew = e, True
            completes += [packet] * (in_order - len(completes))
        return completes


def test_tcp_streams_reassembled_in_order(tmp_path):
    """SOFH over two TCP connections at once: segments cut anywhere, out of
    order, retransmitted with overlaps, sequence numbers wrapping past 2^32."""
    rng = random.Random(3)
    talk = TcpConversation()
    client, server = ("10.1.0.1", 51000), ("10.1.0.2", 9000)
    client6, server6 = ("fd00::1", 51001), ("fd00::2", 9000)
    talk.open(client, server, 0xFFFFFF00, 77)
    talk.open(client6, server6, 5, 0xFFFFFFF0)
    expected = []  # (packet that completes the message, src endpoint, data)
    for round_ in range(25):
        a, b = rng.choice([(client, server), (server, client), (client6, server6), (server6, client6)])
        messages = random_messages(TRADING, rng, rng.randint(1, 3))
        stream = b"".join(pb.framed("sofh", data) for _, data in messages)
        completes = talk.send(a, b, stream, rng, disorder=round_ % 3 == 0)
        end = 0
        for _, data in messages:
            end += 6 + len(data)
            expected.append((completes[end - 1], a, data))
    capture = tmp_path / "tcp.pcap"
    write_capture(capture, talk.packets)
    status, lines, err = run("decode", "--pcap", capture, "--framing", "sofh", TRADING)
    assert status == 0, err
    assert len(lines) == len(expected)
    for text, (packet, (src, port), data) in zip(lines, expected):
        line = json.loads(text)
        assert (line["packet"], line["proto"], line["src"], line["srcPort"]) == (packet, "tcp", src, port)
        assert "seq" not in line
        check_message(TRADING, line, data)
    # A time window keeps the messages completed by packets in it; the stream still needs every segment.
    first, last = len(talk.packets) // 3, 2 * len(talk.packets) // 3
    since, until = (f"{(T0 + 1000 * k) // 10 ** 9}.{(T0 + 1000 * k) % 10 ** 9:09d}" for k in (first, last))
    status, window, err = run("decode", "--pcap", capture, "--framing", "sofh", "--since", since, "--until", until,
                              TRADING)
    assert status == 0, err
    assert window == [text for text, (packet, _, _) in zip(lines, expected) if first <= packet < last]
    assert window


def test_big_endian_schema_over_sofh(tmp_path):
    """SOFH's encoding type follows the schema's byte order (0x5BE0 here); a
    little-endian type is an error naming its byte."""
    rng = random.Random(4)
    messages = random_messages(BE_XML, rng, 8)
    talk = TcpConversation()
    a, b = ("10.2.0.1", 50000), ("10.2.0.2", 9100)
    talk.open(a, b, 1, 1)
    talk.send(a, b, b"".join(pb.framed("sofh", data, big_endian_schema=True) for _, data in messages), rng)
    capture = tmp_path / "be.pcap"
    write_capture(capture, talk.packets)
    status, lines, err = run("decode", "--pcap", capture, "--framing", "sofh", BE_XML)
    assert status == 0, err
    assert len(lines) == len(messages)
    for text, (_, data) in zip(lines, messages):
        check_message(BE_XML, json.loads(text), data)
    write_capture(capture, [(T0, pb.udp_packet("10.2.0.1", "10.2.0.2", 1, 2, pb.datagram("sofh", [messages[0][1]])))])
    status, lines, err = run("decode", "--pcap", capture, "--framing", "sofh", BE_XML)
    assert status == 1 and lines == []
    assert err.split("\n")[-2] == f"wirekit: error: {capture}: packet 1, byte 42: encoding type 0xEB50 at byte 46 is not the expected " \
                  "0x5BE0 (UDP 10.2.0.1:1 > 10.2.0.2:2)"


def filtered_capture(tmp_path):
    """Three packets a second apart, on two ports, each with every message of trading.wk."""
    rng = random.Random(5)
    schema = schema_of(TRADING)
    by_name = {}
    while len(by_name) < len(schema.messages):
        line, data = random_messages(TRADING, rng, 1)[0]
        by_name.setdefault(next(iter(json.loads(line))), data)
    packets = [(T0 + i * 1_000_000_000, pb.udp_packet("10.0.0.1", "239.0.0.1", 1, 14310 + i % 2,
                                                      pb.datagram("cme-mdp3", list(by_name.values()), i)))
               for i in range(3)]
    capture = tmp_path / "filters.pcap"
    write_capture(capture, packets)
    return capture, list(by_name)


def test_filters_by_template_time_and_bpf(tmp_path):
    capture, names = filtered_capture(tmp_path)

    def decoded(*options):
        status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", *options, TRADING)
        assert status == 0, err
        return [(json.loads(line)["seq"], next(iter(json.loads(line)["message"]))) for line in lines]

    assert decoded() == [(i, name) for i in range(3) for name in names]
    assert decoded("--template", "Heartbeat") == [(i, "Heartbeat") for i in range(3)]
    assert decoded("--template", "Heartbeat", "--template", "NewOrder") == \
        [(i, name) for i in range(3) for name in names if name in ("Heartbeat", "NewOrder")]
    assert [s for s, _ in decoded("--since", "2026-12-05T18:50:51.123456789Z")] == [1] * len(names) + [2] * len(names)
    assert [s for s, _ in decoded("--until", "2026-12-05T18:50:51.123456789Z")] == [0] * len(names)
    assert [s for s, _ in decoded("--since", "1796496651", "--until", "1796496652.1")] == [1] * len(names)
    assert [s for s, _ in decoded("--since", "2026-12-05T19:50:51+01:00", "--until", "2026-12-05T18:50:51.5")] == \
        [1] * len(names)
    assert [s for s, _ in decoded("--filter", "udp dst port 14311")] == [1] * len(names)
    # Outside the time window, a damaged packet is passed over: only what is shown is checked.
    status, lines, err = run("decode", "--pcap", capture, "--framing", "b3-umdf", "--since", "2030-01-01", TRADING)
    assert (status, lines, err) == (0, [], "")


@pytest.mark.parametrize("argv,message,status", [
    ([], "--pcap needs --framing NAME (or a `framing` in the schema), one of: cme-mdp3, b3-umdf", 2),
    (["--framing", "cme-mdp3", "--template", "Nope"], "--template Nope: no such message", 2),
    (["--framing", "cme-mdp3", "--since", "yesterday"], "--since: 'yesterday' is not a time", 2),
    (["--framing", "cme-mdp3", "--until", "2026-13-01"], "--until: month must be in 1..12", 2),
    (["--framing", "cme-mdp3", "-i", "x.bin"], "-i cannot be given with it", 2),
    (["--framing", "nope"], "invalid choice: 'nope'", 2),
    (["--framing", "cme-mdp3", "--max-frame-length", "0"], "not a positive number of bytes", 2),
    (["--framing", "cme-mdp3", "--filter", "udp port"], "--filter 'udp port': can't parse filter expression", 2),
])
def test_wrong_command_lines(argv, message, status, tmp_path):
    capture, _ = filtered_capture(tmp_path)
    code, lines, err = run("decode", "--pcap", capture, *argv, TRADING)
    assert (code, lines) == (status, []) and message in err, err


def _with_framing(tmp_path, framing: str) -> tuple[str, str]:
    """trading.wk and md_incremental.xml copied with a framing named in them."""
    for name in ("trading.wk", "trading_common.wk"):
        shutil.copy(os.path.join(REPO, "schemas", "examples", name), tmp_path / name)
    for name in ("md_incremental.xml", "md_common.xml"):
        shutil.copy(os.path.join(REPO, "schemas", "sbe", name), tmp_path / name)
    wk, xml = tmp_path / "trading.wk", tmp_path / "md_incremental.xml"
    wk.write_text(wk.read_text().replace("byte_order little;\n", f'byte_order little;\nframing "{framing}";\n'))
    xml.write_text(xml.read_text().replace('byteOrder="littleEndian"', 'byteOrder="littleEndian" xmlns:wk="urn:wirekit:sbe" '
                                           f'wk:framing="{framing}"'))
    return str(wk), str(xml)


def test_the_schema_names_its_framing(tmp_path):
    """`framing "NAME";` in .wk, `wirekit:framing="NAME"` in SBE XML: --framing
    may then be left out (and, given, wins); convert keeps it both ways."""
    rng = random.Random(11)
    wk, xml = _with_framing(tmp_path, "b3-umdf")
    for path, source in ((wk, TRADING), (xml, MD_XML)):
        messages = random_messages(source, rng, 4)
        capture = tmp_path / "b3.pcap"
        write_capture(capture, [(T0, pb.udp_packet("10.0.0.1", "10.0.0.2", 1, 2,
                                                   pb.datagram("b3-umdf", [d for _, d in messages], 9)))])
        status, lines, err = run("decode", "--pcap", capture, path)
        assert status == 0 and len(lines) == 4, err
        for text, (_, data) in zip(lines, messages):
            assert json.loads(text)["seq"] == 9
            check_message(source, json.loads(text), data)
        status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", path)
        assert status == 1 and "packet 1, byte 54: message length 0 is below its own header's 2 bytes" in err, err
    assert schema_of(wk).framing == "b3-umdf" and schema_of(xml).framing == "b3-umdf"
    assert schema_of(TRADING).framing is None
    for path, other in ((wk, "back.xml"), (xml, "back.wk")):
        status, _, err = run("convert", path, "-o", tmp_path / other)
        assert status == 0, err
        assert load_schema(str(tmp_path / other)).framing == "b3-umdf"
    assert 'framing "b3-umdf";' in (tmp_path / "back.wk").read_text()
    assert 'xmlns:wirekit="urn:wirekit:sbe" wirekit:framing="b3-umdf"' in (tmp_path / "back.xml").read_text()


@pytest.mark.parametrize("text,error", [
    ('package t;\nschema_id 1;\nframing "cme";\n', '3:9: error: unknown framing "cme" (known: cme-mdp3, b3-umdf'),
    ('package t;\nframing "sofh";\nframing "sofh";\n', "3:1: error: `framing` given twice"),
    ('package t;\nstruct S { framing: u8; }\nframing "sofh";\n', "3:1: error: `framing` must come before the definitions"),
    ("package t;\nframing sofh;\n", "2:9: error: expected a framing's name in quotes"),
    ('package t;\nimport "c.wk";\n', 'c.wk:1:1: error: an imported file holds only type definitions: no `framing`'),
])
def test_framing_errors_in_wk(text, error, write_schema):
    path = write_schema(text, **{"c__wk": 'framing "sofh";\ntype framing = u8;\n'})
    status, _, err = run("check", path)
    assert status == 1 and error in err, err


def test_framing_errors_in_xml(tmp_path):
    _, xml = _with_framing(tmp_path, "mdp3")
    status, _, err = run("check", xml)
    assert status == 1
    assert 'md_incremental.xml:8:72: error: unknown framing "mdp3" (known: cme-mdp3' in err, err


def test_capture_options_without_a_capture_exit_2():
    status, _, err = run("decode", "--framing", "sofh", TRADING)
    assert status == 2 and "--framing is an option of captures: give the capture with --pcap FILE" in err


def test_libpcap_missing_names_the_package(tmp_path):
    capture, _ = filtered_capture(tmp_path)
    with mock.patch.object(libpcap, "_library", None), \
            mock.patch.object(libpcap.ctypes, "CDLL", side_effect=OSError("not found")), \
            mock.patch.object(libpcap.ctypes.util, "find_library", return_value=None):
        status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 2 and lines == []
    assert err == ("wirekit: error: reading captures needs libpcap (libpcap.so.0.8); install the Debian package "
                   "libpcap0.8 (apt-get install libpcap0.8)\n")


def _ipv4_udp(payload_bytes: bytes) -> bytes:
    return pb.udp_packet("10.0.0.1", "10.0.0.2", 1000, 2000, payload_bytes)


def _patched(packet: bytes, at: int, value: bytes) -> bytes:
    return packet[:at] + value + packet[at + len(value):]


def _hostile_packets():
    """(name, packets, expected error after '<capture>: '): each damaged in one place."""
    rng = random.Random(6)
    (_, good), (_, other) = random_messages(TRADING, rng, 2)
    ok = _ipv4_udp(pb.datagram("cme-mdp3", [good], 1))
    cut = pb.datagram("cme-mdp3", [good], 2)
    overrun = struct.pack("<IQH", 3, 0, 22) + good[:20] + pb.framed("cme-mdp3", other)
    try:
        decode_message(schema_of(TRADING), good[:20])
    except WireError as error:
        overrun_error = f"packet 2, byte 56: {error}"
    yield ("short ethernet", [ok, bytes(10)], "packet 2, byte 0: Ethernet header of 14 bytes runs past the end of the "
                                              "packet (10 bytes left)")
    yield ("bad IHL", [ok, _patched(ok, 14, b"\x44")], "packet 2, byte 14: IPv4 header length 16 is below the minimum 20")
    yield ("IP total length", [_patched(ok, 16, b"\xff\xff")], "packet 1, byte 14: IPv4 datagram of 65535 bytes runs "
                                                               f"past the end of the packet ({len(ok) - 14} bytes left)")
    yield ("fragment", [_patched(ok, 20, b"\x20\x00")], "packet 1, byte 20: an IPv4 fragment (IP fragments are not "
                                                        "reassembled)")
    yield ("UDP length", [_patched(ok, 38, b"\x00\x04")], "packet 1, byte 38: UDP length 4 is below its header's 8 bytes")
    yield ("short packet header", [_ipv4_udp(b"\x01\x02")], "packet 1, byte 42: the cme-mdp3 packet header of 12 bytes "
                                                            "runs past the end of the datagram (2 bytes) (UDP "
                                                            "10.0.0.1:1000 > 10.0.0.2:2000)")
    yield ("size past the datagram", [_ipv4_udp(cut[:-1])],
           f"packet 1, byte 54: a message of {len(good) + 2} bytes runs past the end of the datagram "
           f"({len(good) + 1} bytes left) (UDP 10.0.0.1:1000 > 10.0.0.2:2000)")
    yield ("size below its header", [_ipv4_udp(struct.pack("<IQH", 1, 0, 1) + good)],
           "packet 1, byte 54: message length 1 is below its own header's 2 bytes (UDP 10.0.0.1:1000 > 10.0.0.2:2000)")
    yield ("trailing byte", [_ipv4_udp(cut + b"\x00")],
           f"packet 1, byte {54 + len(cut) - 12}: 1 bytes after the last message, too few for a message header of 2 "
           "bytes (UDP 10.0.0.1:1000 > 10.0.0.2:2000)")
    yield ("message overruns its frame", [ok, _ipv4_udp(overrun)], overrun_error)
    yield ("unknown template", [_ipv4_udp(pb.datagram("cme-mdp3", [_patched(other, 2, b"\x63\x00")]))],
           "packet 1, byte 56: demo.trading: unknown template id 99 at byte 2")


@pytest.mark.parametrize("name,packets,error", list(_hostile_packets()), ids=[h[0] for h in _hostile_packets()])
def test_hostile_packets_one_error_line(name, packets, error, tmp_path):
    capture = tmp_path / "hostile.pcap"
    write_capture(capture, [(T0 + i, p) for i, p in enumerate(packets)])
    status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 1 and err.count("\n") == 1 and err.startswith(f"wirekit: error: {capture}: packet "), err
    assert err == f"wirekit: error: {capture}: {error}\n"
    assert len(lines) == len(packets) - 1  # the line of the good packet before it


def test_a_link_type_not_read_is_an_error(tmp_path):
    capture = tmp_path / "wifi.pcap"
    write_capture(capture, [(T0, bytes(40))], link_type=105)  # IEEE 802.11
    status, _, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 1
    assert err == (f"wirekit: error: {capture}: packet 1: link type 105 is not one wirekit reads (Ethernet, Linux "
                   "cooked, loopback, raw IP)\n")


def test_snapshot_length_truncation_is_an_error(tmp_path):
    capture = tmp_path / "snap.pcap"
    packet = _ipv4_udp(pb.datagram("cme-mdp3", [random_messages(TRADING, random.Random(7), 1)[0][1]]))
    with libpcap.Writer(str(capture), pb.ETHERNET, snaplen=64) as writer:
        writer.write(T0, packet[:64], wire_length=len(packet))
    status, _, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert status == 1
    assert err == (f"wirekit: error: {capture}: packet 1: 64 of its {len(packet)} bytes were captured (the capture's "
                   "snapshot length); its messages cannot be decoded\n")


def test_tcp_errors(tmp_path):
    rng = random.Random(8)
    data = b"".join(pb.framed("sofh", d) for _, d in random_messages(TRADING, rng, 3))
    a, b = ("10.3.0.1", 50000), ("10.3.0.2", 9000)
    name = "10.3.0.1:50000 > 10.3.0.2:9000"
    capture = tmp_path / "tcp.pcap"

    def decode(packets, *options):
        write_capture(capture, packets)
        return run("decode", "--pcap", capture, "--framing", "sofh", *options, TRADING)

    talk = TcpConversation()
    talk.open(a, b, 100, 200)
    talk.add(a[0], b[0], a[1], b[1], 101, pb.PSH, data[:-5])  # the last message's last 5 bytes never come
    status, lines, err = decode(talk.packets)
    last = _start_of_last(data)
    assert (status, len(lines)) == (1, 2)
    assert err == (f"wirekit: error: {capture}: TCP {name}, stream byte {last}: the capture ends inside a message "
                   f"({len(data) - 5 - last} bytes of it)\n")

    talk = TcpConversation()
    talk.open(a, b, 100, 200)
    talk.add(a[0], b[0], a[1], b[1], 111, pb.PSH, data[10:])  # the first 10 bytes never come
    status, lines, err = decode(talk.packets)
    assert (status, lines) == (1, [])
    assert err == (f"wirekit: error: {capture}: TCP {name}: the capture ends with a gap of 10 bytes at stream byte 0 "
                   "(packet 3 came after it)\n")

    status, lines, err = decode(talk.packets, "--max-tcp-pending", "64")
    assert (status, lines) == (1, [])
    assert err == (f"wirekit: error: {capture}: packet 3: TCP {name}: {len(data) - 10} bytes wait behind a gap at stream "
                   "byte 0, more than --max-tcp-pending 64\n")

    talk = TcpConversation()
    talk.open(a, b, 100, 200)
    talk.add(a[0], b[0], a[1], b[1], 101, pb.PSH, struct.pack(">IH", 0x7FFFFFFF, 0xEB50))
    status, lines, err = decode(talk.packets)
    assert err == (f"wirekit: error: {capture}: packet 3: TCP {name}, stream byte 0: message length 2147483647 exceeds "
                   "--max-frame-length 1048576\n")


def _start_of_last(stream: bytes) -> int:
    """Where the last SOFH frame of stream starts."""
    at = last = 0
    while at < len(stream):
        last = at
        at += struct.unpack_from(">I", stream, at)[0]
    return last


def test_capture_files_libpcap_rejects(tmp_path):
    capture, _ = filtered_capture(tmp_path)
    good = capture.read_bytes()
    cases = {
        "garbage": b"this is not a capture file at all",
        "empty": b"",
        "cut record header": good[:24 + 8],
        "cut packet": good[:len(good) - 7],
    }
    for name, data in cases.items():
        path = tmp_path / f"{name.replace(' ', '_')}.pcap"
        path.write_bytes(data)
        status, lines, err = run("decode", "--pcap", path, "--framing", "cme-mdp3", TRADING)
        assert status == 1 and err.count("\n") == 1 and err.startswith(f"wirekit: error: {path}: "), (name, err)
        if name.startswith("cut"):
            assert ", byte " in err and "truncated" in err, err
    status, _, err = run("decode", "--pcap", tmp_path / "missing.pcap", "--framing", "cme-mdp3", TRADING)
    assert status == 1 and "No such file" in err


@pytest.mark.skipif(not TSHARK, reason="tshark is not installed (scripts/install-deps installs it)")
def test_tshark_reads_the_captures(tmp_path):
    """tshark -r reads what libpcap's writer wrote, and sees the same packets:
    numbers, times, addresses and ports."""
    rng = random.Random(9)
    talk = TcpConversation()
    talk.open(("10.4.0.1", 50000), ("10.4.0.2", 9000), 1, 1)
    talk.send(("10.4.0.1", 50000), ("10.4.0.2", 9000), b"".join(pb.framed("sofh", d) for _, d in
                                                                random_messages(TRADING, rng, 4)), rng)
    packets = talk.packets + [(T0 + 10 ** 9, pb.udp_packet("fd00::1", "ff02::5", 7, 8, pb.datagram("sofh", [d])))
                              for _, d in random_messages(TRADING, rng, 3)]
    capture = tmp_path / "both.pcap"
    write_capture(capture, packets)
    fields = ["frame.number", "frame.time_epoch", "ip.src", "ipv6.src", "tcp.srcport", "udp.srcport", "udp.length"]
    result = subprocess.run([TSHARK, "-r", str(capture), "-T", "fields", *(x for f in fields for x in ("-e", f))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [row.split("\t") for row in result.stdout.strip().split("\n")]
    assert len(rows) == len(packets)
    for row, (when, _) in zip(rows, packets):
        assert row[1].replace(".", "").lstrip("0") == str(when)
    assert {r[2] for r in rows[:len(talk.packets)]} == {"10.4.0.1", "10.4.0.2"}
    assert [r[3] for r in rows[len(talk.packets):]] == ["fd00::1"] * 3
    status, lines, err = run("decode", "--pcap", capture, "--framing", "sofh", TRADING)
    assert status == 0 and len(lines) == 7, err
    # Expert info: tshark finds no malformed packet and no bad checksum in what was written here.
    result = subprocess.run([TSHARK, "-r", str(capture), "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                             "-Y", "_ws.malformed || _ws.expert.severity >= error"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.skipif(not EDITCAP, reason="editcap is not installed (tshark's package wireshark-common has it)")
def test_pcapng_and_microsecond_pcap(tmp_path):
    """editcap's copies: pcapng decodes the same; a microsecond pcap the same
    but for the times, cut to the microsecond."""
    capture, _ = filtered_capture(tmp_path)
    pcapng, micro = tmp_path / "filters.pcapng", tmp_path / "filters.us.pcap"
    subprocess.run([EDITCAP, "-F", "pcapng", str(capture), str(pcapng)], check=True, capture_output=True, timeout=60)
    subprocess.run([EDITCAP, "-F", "pcap", str(capture), str(micro)], check=True, capture_output=True, timeout=60)
    assert pcapng.read_bytes()[:4] == b"\x0a\x0d\x0d\x0a"  # a section header block
    assert micro.read_bytes()[:4] == b"\xd4\xc3\xb2\xa1"  # microsecond pcap, little-endian
    expected = run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)
    assert expected[0] == 0 and expected[1]
    assert run("decode", "--pcap", pcapng, "--framing", "cme-mdp3", TRADING) == expected
    status, lines, _ = run("decode", "--pcap", micro, "--framing", "cme-mdp3", TRADING)
    assert status == 0
    assert [line.replace(".123456000Z", ".123456789Z") for line in lines] == expected[1]
    assert all('.123456000Z"' in line for line in lines)


def test_standard_input(tmp_path):
    capture, names = filtered_capture(tmp_path)
    result = subprocess.run([WIREKIT, "decode", "--pcap", "-", "--framing", "cme-mdp3", TRADING],
                            input=capture.read_bytes(), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split("\n")[:-1] == run("decode", "--pcap", capture, "--framing", "cme-mdp3", TRADING)[1]
    result = subprocess.run([WIREKIT, "decode", "--pcap", "-", "--framing", "cme-mdp3", TRADING],
                            input=capture.read_bytes()[:100], capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.decode().startswith("wirekit: error: <stdin>: packet 1: truncated dump file")
    status, _, err = run("decode", "--pcap", "-", "--framing", "cme-mdp3", "-")
    assert status == 2 and "cannot both come from standard input" in err


def test_the_real_executable(tmp_path):
    capture, names = filtered_capture(tmp_path)
    result = subprocess.run([WIREKIT, "decode", "--pcap", str(capture), "--framing", "cme-mdp3", "--template", "Heartbeat",
                             TRADING], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["seq"] for line in result.stdout.split("\n")[:-1]] == [0, 1, 2]
    (tmp_path / "bad.pcap").write_bytes(b"\xd4\xc3\xb2\xa1" + bytes(3))
    result = subprocess.run([WIREKIT, "decode", "--pcap", str(tmp_path / "bad.pcap"), "--framing", "sofh", TRADING],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


MANY_MESSAGES = int(os.environ.get("WIREKIT_PCAP_MESSAGES", "20000"))


def test_decoding_many_messages(tmp_path):
    """Every one of many messages (10 per datagram) decoded, in order. The rate is
    printed (-s shows it), not asserted: speed belongs to benchmarks, and
    docs/schema-compiler.md quotes a run of 100,000."""
    rng = random.Random(10)
    pool = [data for _, data in random_messages(MD_XML, rng, 50, max_size=200)]
    capture = tmp_path / "big.pcap"
    with libpcap.Writer(str(capture)) as writer:
        for i in range(MANY_MESSAGES // 10):
            payload = pb.datagram("cme-mdp3", [pool[(i + k) % len(pool)] for k in range(10)], i, T0)
            writer.write(T0 + i * 1000, pb.udp_packet("10.0.0.1", "239.0.0.1", 1, 2, payload))
    start, cpu = time.perf_counter(), time.process_time()
    status, lines, err = run("decode", "--pcap", capture, "--framing", "cme-mdp3", MD_XML)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert status == 0, err
    assert len(lines) == MANY_MESSAGES
    for index, text in enumerate(lines):
        line, number = json.loads(text), index // 10
        assert line["packet"] == number + 1 and line["seq"] == number
        check_message(MD_XML, line, pool[(number + index % 10) % len(pool)])
    print(f"\nwirekit decode --pcap: {len(lines)} messages ({capture.stat().st_size} bytes) in {seconds:.2f} s "
          f"({cpu:.2f} s of CPU): {len(lines) / seconds:,.0f} messages/s, {len(lines) / cpu:,.0f} per CPU second")
