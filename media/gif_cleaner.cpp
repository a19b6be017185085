// GIF: walks the blocks of a GIF87a/GIF89a stream (GIF89a specification,
// §17–§26) and keeps an allow-list of them (docs/media.md, "GIF"). Image
// descriptors with their colour tables and LZW sub-blocks are copied whole.

#include "media/image_bytes.hpp"

#include <vector>

namespace pgscrub::media::detail {
namespace {

// Skips the data sub-blocks that start at `at` (each a size byte and that
// many bytes, ended by a zero size byte); returns the offset after the
// terminator.
std::size_t skip_sub_blocks(std::string_view in, std::size_t at) {
    for (;;) {
        if (at >= in.size()) truncated("GIF data sub-blocks", in.size());
        std::size_t size = byte_at(in, at);
        ++at;
        if (size == 0) return at;
        if (!fits(in, at, size)) truncated("GIF data sub-block", in.size());
        at += size;
    }
}

std::size_t colour_table_size(std::uint8_t packed) {
    return (packed & 0x80) != 0 ? std::size_t{3} << ((packed & 0x07) + 1) : 0;
}

} // namespace

CleanedImage clean_gif(std::string_view in) {
    CleanedImage result{ImageFormat::Gif, {}, {}, {}};
    RemovedMetadata& removed = result.removed;
    if (!fits(in, 0, 13)) truncated("GIF logical screen descriptor", in.size());
    std::size_t head_end = 13 + colour_table_size(byte_at(in, 10));
    if (!fits(in, 0, head_end)) truncated("GIF global colour table", in.size());

    std::vector<std::string_view> kept;
    std::size_t at = head_end;
    for (;;) {
        if (at >= in.size()) truncated("GIF", in.size());
        std::size_t start = at;
        std::uint8_t introducer = byte_at(in, at);
        if (introducer == 0x3B) { // trailer
            ++at;
            break;
        }
        if (introducer == 0x2C) { // image descriptor, local colour table, LZW data
            if (!fits(in, at, 11)) truncated("GIF image descriptor", in.size());
            at += 10 + colour_table_size(byte_at(in, at + 9));
            if (!fits(in, at, 1)) truncated("GIF local colour table", in.size());
            at = skip_sub_blocks(in, at + 1); // after the LZW minimum code size
            kept.push_back(in.substr(start, at - start));
            continue;
        }
        if (introducer != 0x21) corrupt("GIF: unknown block introducer", at);
        if (!fits(in, at, 2)) truncated("GIF extension", in.size());
        std::uint8_t label = byte_at(in, at + 1);
        at = skip_sub_blocks(in, at + 2);
        std::string_view block = in.substr(start, at - start);
        if (label == 0xF9) { // graphic control: delay, disposal, transparency
            kept.push_back(block);
        } else if (label == 0xFE) {
            removed.add(RemovedKind::Comments);
        } else if (label == 0xFF) {
            // The application identifier and authentication code: the first
            // sub-block, 11 bytes.
            std::string_view id = block.size() >= 14 && byte_at(block, 2) == 11 ? block.substr(3, 11) : "";
            if (id == "NETSCAPE2.0" || id == "ICCRGBG1012") kept.push_back(block); // looping; ICC profile
            else if (id == "XMP DataXMP") removed.add(RemovedKind::Xmp);
            else removed.add(RemovedKind::Other);
        } else {
            removed.add(RemovedKind::Other); // plain text and unknown extensions
        }
    }
    if (at < in.size()) removed.add(RemovedKind::Trailer);

    std::string& out = result.bytes;
    out.reserve(in.size() + 1);
    out.append(in.substr(0, head_end));
    for (std::string_view block : kept) out.append(block);
    out.push_back('\x3B');
    return result;
}

} // namespace pgscrub::media::detail
