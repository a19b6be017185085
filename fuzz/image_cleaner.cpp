// The image cleaner (media/image_cleaner.hpp). Any bytes either clean or are
// refused with a reason, never throw; a cleaned image cleans again to the
// same bytes with nothing removed (idempotence), keeps its Orientation, and
// is never larger than the input plus the minimal EXIF the cleaner writes.

#include "fuzz/fuzz_support.hpp"
#include "media/image_cleaner.hpp"

#include <variant>

using namespace pgscrub;

namespace {

// The largest thing a cleaner adds: a minimal EXIF block as a JPEG APP1
// segment (36 bytes), a PNG eXIf chunk (38) or a WebP EXIF chunk (34), plus
// the end marker a cleaner writes where the input had fill bytes before it.
constexpr std::size_t kMaxGrowth = 40;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_text(data, size);
    media::CleanResult first = media::clean_image(input);
    if (const auto* refused = std::get_if<media::Unstrippable>(&first)) {
        PGSCRUB_FUZZ_EXPECT(!refused->detail.empty());
        PGSCRUB_FUZZ_EXPECT(refused->detail.find('\n') == std::string::npos);
        return 0;
    }
    const auto& once = std::get<media::CleanedImage>(first);
    PGSCRUB_FUZZ_EXPECT(once.bytes.size() <= input.size() + kMaxGrowth);
    media::CleanResult second = media::clean_image(once.bytes);
    const auto* twice = std::get_if<media::CleanedImage>(&second);
    PGSCRUB_FUZZ_EXPECT(twice != nullptr);
    PGSCRUB_FUZZ_EXPECT(twice->bytes == once.bytes);
    PGSCRUB_FUZZ_EXPECT(twice->removed.empty());
    PGSCRUB_FUZZ_EXPECT(twice->orientation == once.orientation);
    PGSCRUB_FUZZ_EXPECT(twice->format == once.format);
    return 0;
}
