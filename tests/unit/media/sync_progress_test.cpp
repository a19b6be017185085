// media sync's progress line text: objects and bytes done of the total, and
// the rate once it means something.

#include "media/sync_progress.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;

TEST_CASE("sync progress: objects, bytes of the total, and the rate", "[media][progress]") {
    SyncProgress progress;
    progress.objects_done = 120;
    progress.objects_total = 600;
    progress.bytes_done = 1'900'000;
    progress.bytes_total = 9'800'000;
    progress.seconds = 1.5;
    CHECK(format_sync_progress(progress) == "pgscrub: media 120/600 objects, 1.9 MB of 9.8 MB, 1.3 MB/s");
}

TEST_CASE("sync progress: no rate in the first tenth of a second", "[media][progress]") {
    SyncProgress progress;
    progress.objects_total = 3;
    progress.bytes_total = 12;
    progress.seconds = 0.05;
    CHECK(format_sync_progress(progress) == "pgscrub: media 0/3 objects, 0 B of 12 B");
}
