// A test driver for the image cleaner (media/image_cleaner.hpp), until
// `pgscrub media sync` exists: media_clean_driver IN OUT reads IN, writes the
// cleaned image to OUT and prints one line,
//   cleaned FORMAT removed=KIND,KIND… orientation=N|none
// or, exit 1 and OUT not written,
//   unstrippable REASON: DETAIL
// tests/integration/media_clean.sh runs it on photos made by PIL and exiftool.

#include "media/image_cleaner.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: media_clean_driver IN OUT\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    namespace media = pgscrub::media;
    media::CleanResult result = media::clean_image(bytes);
    if (const auto* refused = std::get_if<media::Unstrippable>(&result)) {
        std::printf("unstrippable %s: %s\n", std::string(media::reason_name(refused->reason)).c_str(),
                    refused->detail.c_str());
        return 1;
    }
    const auto& cleaned = std::get<media::CleanedImage>(result);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out.write(cleaned.bytes.data(), static_cast<std::streamsize>(cleaned.bytes.size()));
    if (!out.flush()) {
        std::fprintf(stderr, "cannot write %s\n", argv[2]);
        return 2;
    }
    std::string kinds;
    for (media::RemovedKind kind : cleaned.removed.list()) kinds += (kinds.empty() ? "" : ",") + std::string(media::kind_name(kind));
    std::printf("cleaned %s removed=%s orientation=%s\n", std::string(media::format_name(cleaned.format)).c_str(),
                kinds.c_str(), cleaned.orientation ? std::to_string(*cleaned.orientation).c_str() : "none");
    return 0;
}
