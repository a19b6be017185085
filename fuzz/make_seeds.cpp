// Writes the seed corpus of every fuzz target (fuzz/corpus/TARGET/) from the
// project's own archive builders and writers, so the seeds cover each format,
// version and compression the readers support and stay small. Deterministic:
// running it again gives the same files.
//   pgscrub_fuzz_make_seeds SOURCE_DIR

#include "archive_builders.hpp"
#include "dump/custom_format.hpp"
#include "dump/directory_format.hpp"
#include "dump/tar_format.hpp"
#include "fuzz/file_bundle.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

using namespace pgscrub;
using namespace pgscrub::test;
namespace fs = std::filesystem;

namespace {

fs::path corpus;

void seed(const std::string& target, const std::string& name, std::string_view bytes) {
    fs::create_directories(corpus / target);
    write_file((corpus / target / name).string(), bytes);
}

SampleArchive small_archive(ArchiveVersion version, Compression compression) {
    SampleArchive a = sample_archive(version, compression, 3);
    a.blobs = {{16411, "large object \x01\xff"}, {kHighOid, ""}};
    return a;
}

std::string custom_bytes(ArchiveVersion version, Compression compression, bool offsets) {
    return build_custom(small_archive(version, compression), 40, offsets).bytes;
}

// Copies the custom archive `custom` into `writer`.
void write_with(const std::string& custom, ArchiveWriter& writer) {
    auto reader = open_custom_reader(std::make_unique<MemoryInput>("seed.custom", custom));
    copy_archive(*reader, writer, false);
}

std::string bundle_directory(const std::string& dir) {
    std::vector<fuzz::BundleFile> files;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir)) paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) {
        // toc.dat first, as pg_dump writes it; then by name.
        if ((a.filename() == "toc.dat") != (b.filename() == "toc.dat")) return a.filename() == "toc.dat";
        return a < b;
    });
    for (const auto& path : paths) files.emplace_back(path.filename().string(), read_file(path.string()));
    return fuzz::make_bundle(files);
}

void archive_seeds() {
    struct Variant {
        const char* name;
        ArchiveVersion version;
        Compression compression;
    };
    const Variant variants[] = {
        {"1.12-none", {1, 12, 0}, Compression::None},
        {"1.14-gzip", {1, 14, 0}, Compression::Gzip},
        {"1.16-lz4", {1, 16, 0}, Compression::Lz4},
        {"1.16-zstd", {1, 16, 0}, Compression::Zstd},
    };
    for (const auto& v : variants) {
        const std::string custom = custom_bytes(v.version, v.compression, true);
        seed("custom_reader", std::string(v.name) + ".custom", custom);
        seed("custom_reader", std::string(v.name) + "-no-offsets.custom", custom_bytes(v.version, v.compression, false));
        seed("archive_toc", std::string(v.name) + ".custom", std::string(1, '\0') + custom);

        TempDir scratch;
        OutputSpec spec;
        spec.format = ArchiveFormat::Directory;
        spec.compression.algorithm = v.compression;
        {
            auto writer = make_directory_writer(scratch / "dir", spec);
            write_with(custom, *writer);
        }
        seed("directory_reader", std::string(v.name) + ".bundle", bundle_directory(scratch / "dir"));
        seed("archive_toc", std::string(v.name) + ".toc", std::string(1, '\1') + read_file(scratch / "dir/toc.dat"));

        if (v.compression == Compression::None || v.compression == Compression::Gzip) {
            OutputSpec tar_spec;
            tar_spec.format = ArchiveFormat::Tar;
            {
                auto writer = make_tar_writer(FileOutput::create(scratch / "a.tar"), tar_spec);
                write_with(custom, *writer);
            }
            seed("tar_reader", std::string(v.name) + ".tar", read_file(scratch / "a.tar"));
        }
    }
}

void text_seeds(const fs::path& source) {
    seed("plain_reader", "sample-site.sql", std::string(1, '\xff') + read_file((source / "samples/sample-site.sql").string()));
    seed("plain_reader", "copy-blocks.sql",
         std::string(1, '\x07') +
             "SET client_encoding = 'UTF8';\nCOPY public.t (a, b) FROM stdin;\n1\tx\\ty\n2\t\\N\n\\.\n"
             "SELECT pg_catalog.setval('public.t_id_seq', 2, true);\nCOPY public.\"Odd\" FROM stdin;\n\\.\n");

    seed("copy_text", "rows", std::string(16, '\x05') + random_copy_text(4));
    seed("copy_text", "escapes", std::string(16, '\x01') + "a\\tb\tc\\\\d\t\\N\n\\101\\x41\\n\t\\\n\n\\.\n\n\n");

    seed("array_literal", "quoted", "{\"a b\",\"c,d\",NULL,\"\\\"q\\\"\",plain}");
    seed("array_literal", "nested", "[0:1][1:2]={{1,2},{3, \"x\"}}");
    seed("array_literal", "empty", "{}");

    seed("json_text", "form", R"({"name": "Ann Example", "email": "ann@example.org", "tags": ["a", 1, 2.5e3, true, null], "nested": {"x": "\u00e9\n"}})");
    seed("json_text", "scalar", "\"just a string\"");

    for (const char* rules : {"samples/sample-rules.yaml", "rules/presets/wagtail.yaml", "rules/presets/django-axes.yaml"})
        seed("rules_file", fs::path(rules).filename().string(), read_file((source / rules).string()));
    for (const char* run : {"examples/reset-staging.yaml", "examples/pull-local.yaml"})
        seed("run_file", fs::path(run).filename().string(), read_file((source / run).string()));

    // DDL as pg_dump writes it; the 16 control bytes pick each statement's entry kind
    // (0 TABLE, 1 TABLE ATTACH, 2 DEFAULT, 3 CONSTRAINT, 4 FK CONSTRAINT, 5 INDEX, 8 TABLE DATA).
    seed("sql_schema", "partitions",
         std::string("\0\0\1\3\2\5\x08\4", 8) + std::string(8, '\0') +
             "CREATE TABLE public.events (id integer NOT NULL, email text, payload jsonb) PARTITION BY RANGE (id);\n"
             "CREATE TABLE public.events_1 (id integer NOT NULL, email text, payload jsonb);\n"
             "ALTER TABLE ONLY public.events ATTACH PARTITION public.events_1 FOR VALUES FROM (0) TO (100);\n"
             "ALTER TABLE ONLY public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id);\n"
             "ALTER TABLE ONLY public.events ALTER COLUMN id SET DEFAULT nextval('public.events_id_seq'::regclass);\n"
             "CREATE INDEX events_lower_email ON ONLY public.events USING btree (lower(email));\n"
             "COPY public.events (id, email, payload) FROM stdin;\n"
             "ALTER TABLE ONLY public.events ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES public.\"Other\"(id);\n");

    seed("statistics_sql", "relation-and-attribute",
         "SELECT * FROM pg_catalog.pg_restore_relation_stats(\n\t'version', '180004'::integer,\n"
         "\t'schemaname', 'public',\n\t'relname', 'auth_user',\n\t'relpages', '2'::integer,\n"
         "\t'reltuples', '3'::real,\n\t'relallvisible', '0'::integer,\n\t'relallfrozen', '0'::integer\n);\n"
         "SELECT * FROM pg_catalog.pg_restore_attribute_stats(\n\t'version', '180004'::integer,\n"
         "\t'schemaname', 'public',\n\t'relname', 'auth_user',\n\t'attname', 'email',\n"
         "\t'inherited', 'f'::boolean,\n\t'null_frac', '0'::real,\n\t'avg_width', '18'::integer,\n"
         "\t'n_distinct', '-1'::real,\n\t'histogram_bounds', '{ann@example.org,\"bob o''hara@example.org\"}'::text,\n"
         "\t'correlation', '0.5'::real\n);\n");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
        return 2;
    }
    const fs::path source = argv[1];
    corpus = source / "fuzz/corpus";
    archive_seeds();
    text_seeds(source);
    std::printf("seeds written under %s\n", corpus.c_str());
    return 0;
}
