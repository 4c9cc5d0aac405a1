#!/usr/bin/env python3
"""Fetch hls.js from the npm registry, check it, and put its light build among the static files.

The minified file is not committed: it is a pinned, checked download like a pip package.
The integrity is the registry's `dist.integrity` for this version (`npm view hls.js@1.7.4
dist.integrity`); a tarball that does not match it is refused and nothing is written.

Usage: fetch-hlsjs.py DEST   (e.g. lectures/static/lectures/vendor/hls.light.min.js)
"""

import base64
import hashlib
import io
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "1.7.4"
TARBALL = f"https://registry.npmjs.org/hls.js/-/hls.js-{VERSION}.tgz"
INTEGRITY = (
    "sha512-"
    "3GlxGdPvT2YHvQYOt+yOzT/DEior/qJVNIylHA77kgeoBTdQQqi70GwefNEUmHQeNGyjC8U62+bruqW/Tpm+tg=="
)
MEMBER = "package/dist/hls.light.min.js"
# What the stamp beside the file records: the tarball's integrity and how it was unpacked.
STAMP = f"{INTEGRITY} without-source-map"


def main(dest: str) -> int:
    target = Path(dest)
    stamp = target.with_name(target.name + ".version")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == STAMP:
        return 0
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(f"hls.js {VERSION}: integrity mismatch ({digest}); refused", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        script = archive.extractfile(MEMBER).read()
    # The source map is not shipped; its comment would make collectstatic's manifest
    # storage look for it and fail.
    script = re.sub(rb"\n//# sourceMappingURL=\S+\s*$", b"\n", script)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    stamp.write_text(STAMP + "\n")
    print(f"hls.js {VERSION} → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
