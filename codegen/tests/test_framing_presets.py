# SPDX-License-Identifier: Apache-2.0
"""The Python reader's framing presets are the C++ PacketFramingOptions::preset()'s:
the same names in the same order (docs/framing.md lists them once for both).
The byte layouts are checked on each side against hand-computed bytes
(tests/framing/packet_framing_test.cpp, test_cli_pcap.py)."""

import os
import re

from conftest import REPO
from wirekit_codegen.capture.framing import PRESETS


def test_preset_names_match_the_cpp_presets():
    with open(os.path.join(REPO, "runtime", "src", "framing", "packet_framing.cpp"), encoding="utf-8") as file:
        source = file.read()
    listed = re.search(r"presetNameList\{(.*?)\};", source, re.S)
    assert listed, "presetNameList not found in packet_framing.cpp"
    assert re.findall(r'"([^"]+)"', listed.group(1)) == list(PRESETS)
