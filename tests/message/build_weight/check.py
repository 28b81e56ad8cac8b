# SPDX-License-Identifier: Apache-2.0
"""Compiles one object of the build tree again and fails when the compiler's
peak memory exceeds a bound: a guard against the headers growing back (see
docs/performance.md, "Build").

usage: check.py CMAKE BUILD_DIR TARGET OBJECT LIMIT_KB
"""

import os
import resource
import subprocess
import sys


def main() -> int:
    cmake, build_dir, target, obj = sys.argv[1:5]
    limit = int(sys.argv[5])
    if os.path.exists(obj):
        os.remove(obj)
    result = subprocess.run([cmake, "--build", build_dir, "--target", target],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not os.path.exists(obj):
        print(result.stdout + result.stderr)
        print(f"check.py: building {target} failed")
        return 1
    # The largest resident set of any process waited for: the compiler's.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{target}: the compiler peaked at {peak} KB (limit {limit} KB)")
    if peak < limit // 4:
        print("check.py: too little for a compile of this file: did a compiler cache answer?")
        return 1
    if peak > limit:
        print("check.py: over the limit; docs/performance.md (\"Build\") says what it costs "
              "and how it was cut")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
