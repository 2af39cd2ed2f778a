#include <map>

#include "command_line.hpp"

namespace dtls_tool {

void add_version_options(CLI::App& command, VersionOptions& versions) {
    const std::map<std::string, dtls::ProtocolVersion> names{{"1.2", dtls::ProtocolVersion::dtls1_2},
                                                             {"1.3", dtls::ProtocolVersion::dtls1_3}};
    command.add_option("--min-version", versions.min, "Oldest DTLS version to speak: 1.2 or 1.3")
        ->transform(CLI::CheckedTransformer(names).description(""))
        ->type_name("VERSION")
        ->default_str("1.2");
    command.add_option("--max-version", versions.max, "Newest DTLS version to speak: 1.2 or 1.3")
        ->transform(CLI::CheckedTransformer(names).description(""))
        ->type_name("VERSION")
        ->default_str(dtls::Config{}.max_version == dtls::ProtocolVersion::dtls1_3 ? "1.3" : "1.2");
}

}  // namespace dtls_tool
