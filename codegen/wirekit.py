#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the wirekit schema compiler from this directory, without installation."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from wirekit_codegen.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
