# Renders a pgscrub HTML report in headless Chromium and checks the result:
# sourced by report_screenshot.sh (a committed sample) and leak_proof.sh (a
# real scrub --verify --report run). Callers check that chromium exists.

# The verdict banners' backgrounds, as in report/report.css
# (.v-failed / .v-passed .verdict-head).
BANNER_FAILED=b42318
BANNER_PASSED=1a7f37

# chromium_headless PROFILE_DIR ARGS...: Chromium as the tests run it. It
# prints harmless errors (no D-Bus, no GPU) on stderr; callers keep stderr
# in a file and look only at the exit code and the output.
chromium_headless() {
    local profile="$1"
    shift
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --disable-background-networking --disable-component-update --disable-sync --no-first-run \
        --hide-scrollbars --user-data-dir="$profile" "$@"
}

# assert_report_renders HTML EXPECTED_TEXT...: screenshots HTML at 1280x2000
# into HTML's name with .png, dumps its DOM, and fails unless the PNG is a
# valid 1280-wide image that is not blank (many light pixels, some dark text
# pixels, and when the page has a passed or failed verdict, a banner's worth
# of that banner's colour), the page's text holds every EXPECTED_TEXT, and the
# DOM holds no <script> element at all.
assert_report_renders() {
    local html="$1"
    shift
    [ -s "$html" ] || fail "no report page at $html"
    local dir="${html%.html}.render" png="${html%.html}.png"
    rm -rf "$dir" "$png" && mkdir -p "$dir"
    local url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

    chromium_headless "$dir/profile" --screenshot="$png" --window-size=1280,2000 "$url" \
        > "$dir/screenshot.out" 2> "$dir/screenshot.err" \
        || { tail -5 "$dir/screenshot.err" >&2; fail "chromium --screenshot exited non-zero for $html"; }
    [ -s "$png" ] || { tail -5 "$dir/screenshot.err" >&2; fail "chromium wrote no screenshot for $html"; }
    chromium_headless "$dir/profile" --dump-dom "$url" > "$dir/dom.html" 2> "$dir/dom.err" \
        || { tail -5 "$dir/dom.err" >&2; fail "chromium --dump-dom exited non-zero for $html"; }
    [ -s "$dir/dom.html" ] || fail "chromium dumped no DOM for $html"

    # The banner colour to look for follows the verdict the page shows.
    local banner=""
    if grep -q 'class="verdict v-failed"' "$dir/dom.html"; then banner="$BANNER_FAILED"; fi
    if grep -q 'class="verdict v-passed"' "$dir/dom.html"; then banner="$BANNER_PASSED"; fi

    python3 - "$png" "$banner" <<'PY' || fail "the screenshot of $html is not a rendered report (see above)"
import struct, sys, zlib

path, banner = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: not a PNG file")
pos, idat, header = 8, [], None
while pos + 8 <= len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    pos += 12 + length
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
    elif kind == b"IEND":
        break
if header is None:
    sys.exit(f"{path}: no IHDR chunk")
width, height, depth, colour, _, _, interlace = header
if width != 1280:
    sys.exit(f"{path}: {width} pixels wide, expected 1280")
if depth != 8 or colour not in (2, 6) or interlace != 0:
    sys.exit(f"{path}: unexpected PNG layout (depth {depth}, colour type {colour}, interlace {interlace})")

# Undo the PNG row filters (RFC 2083 section 6).
bpp = 3 if colour == 2 else 4
stride = width * bpp
raw = zlib.decompress(b"".join(idat))
if len(raw) != height * (stride + 1):
    sys.exit(f"{path}: image data is {len(raw)} bytes, expected {height * (stride + 1)}")
rows, prev = [], bytearray(stride)
for y in range(height):
    at = y * (stride + 1)
    kind, row = raw[at], bytearray(raw[at + 1:at + 1 + stride])
    if kind == 1:
        for i in range(bpp, stride):
            row[i] = (row[i] + row[i - bpp]) & 255
    elif kind == 2:
        row = bytearray((a + b) & 255 for a, b in zip(row, prev))
    elif kind == 3:
        for i in range(stride):
            row[i] = (row[i] + (((row[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            c = prev[i - bpp] if i >= bpp else 0
            b = prev[i]
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    elif kind != 0:
        sys.exit(f"{path}: unknown filter {kind} in row {y}")
    rows.append(row)
    prev = row

want = bytes.fromhex(banner) if banner else None
light = dark = banner_pixels = 0
for row in rows:
    for x in range(0, stride, bpp):
        r, g, b = row[x], row[x + 1], row[x + 2]
        if r >= 230 and g >= 230 and b >= 230:
            light += 1
        elif r < 90 and g < 90 and b < 90:
            dark += 1
        if want and abs(r - want[0]) <= 12 and abs(g - want[1]) <= 12 and abs(b - want[2]) <= 12:
            banner_pixels += 1
total = width * height
print(f"{path}: {width}x{height}, {100 * light / total:.1f}% light, {dark} dark (text) pixels"
      + (f", {banner_pixels} pixels of banner colour #{banner}" if want else ", no verdict banner colour to look for"))
if light < total * 0.5:
    sys.exit(f"{path}: only {light} of {total} pixels are light: not the report's page")
if dark < 5000:
    sys.exit(f"{path}: only {dark} dark pixels: no text was drawn")
if want and banner_pixels < 20000:
    sys.exit(f"{path}: only {banner_pixels} pixels near #{banner}: the verdict banner is missing")
PY

    # The page's text, as a reader sees it (tags dropped, entities decoded).
    python3 - "$dir/dom.html" > "$dir/text.txt" <<'PY'
import sys
from html.parser import HTMLParser

class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")
    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script") and self.skip > 0
    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

parser = Text()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
print("".join(parser.parts))
PY
    local text
    for text in "$@"; do
        grep -qF -- "$text" "$dir/text.txt" || fail "the rendered page of $html does not show: $text"
    done
    if grep -qi '<script' "$dir/dom.html"; then
        fail "the rendered page of $html has a <script> element (an unescaped name?)"
    fi
    echo "rendered $html: screenshot $png"
}
