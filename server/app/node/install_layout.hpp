#pragma once
// Where a node finds what it ships with and where it keeps what it writes, whether it runs from
// a build tree (run-local.sh, the tests) or installed (`cmake --install`, the .deb: bin/puented
// beside share/puente/). One place answers both, so the pages, the alert texts and the state
// folder follow the same rule. The files it names are README "Install".

#include <filesystem>
#include <string>
#include <string_view>

namespace puente::app {

struct NodeConfig;

// share/puente beside the running program's bin/ folder when that folder exists (an installed
// puented); empty for a program in a build tree.
std::filesystem::path installed_data_dir();

// [network] templates when the config names none: "templates" beside the config file if that
// folder exists (the example config/, a site's /etc/puente/templates with its own texts), else
// share/puente/templates of an installed puented, else the config's "templates" all the same (so
// the error names where it looked first).
std::filesystem::path default_templates_dir(const std::filesystem::path& config_file);

// The state folder when neither [node] state_dir nor --state-dir names one: for an installed
// puented, var/lib/puente of its prefix (/var/lib/puente for /usr, as GNUInstallDirs puts /usr's
// state under /var); in a build tree, state/ in the build folder (never config/ or the source
// tree: a clone's config is checked in).
std::filesystem::path built_in_state_dir();

// The pure choice: `configured` ([node] state_dir, --state-dir) when set; else the first folder
// of `state_directory` ($STATE_DIRECTORY, which systemd sets from StateDirectory=, several
// folders separated by ':') when set; else `built_in`.
std::filesystem::path choose_state_dir(const std::filesystem::path& configured,
                                       std::string_view state_directory,
                                       const std::filesystem::path& built_in);

// [node] journal: an absolute path as it is, a relative one under `state_dir`, none:
// <state_dir>/<node id>.journal.
std::filesystem::path journal_file_in(const std::filesystem::path& state_dir,
                                      const std::filesystem::path& configured,
                                      const std::string& node_id);

// Settles config.state_dir (choose_state_dir with $STATE_DIRECTORY from `state_directory`, null
// when unset) and the files the node writes in it (journal, a relative port_file), and creates
// the folder (0700: the journal holds caller
// hashes, the revocations file token hashes). Call once the node's id is final (a flag may set
// it). Throws std::runtime_error naming the folder if it cannot be made, and when a revocations
// file of an older node still lies beside the roster where no one would read it any more.
void settle_state_dir(NodeConfig& config, const char* state_directory);

// The revocations file: as configured, else "revoked-tokens" in the state folder.
std::filesystem::path revocations_file_of(const NodeConfig& config);

// The audit journal (app/access/audit_trail.hpp): "<node id>.audit-journal" in the state folder.
std::filesystem::path audit_journal_file_of(const NodeConfig& config);

// Where the node writes its signed audit anchors: "audit-anchors" in the state folder.
std::filesystem::path audit_anchors_dir_of(const NodeConfig& config);

// The media blob store's folder: [media] dir, else "media" in the state folder.
std::filesystem::path media_dir_of(const NodeConfig& config);
// The network's evidence signing key: [evidence] signing_key_file, else "evidence-key.pem" in
// the state folder (made there at first start if absent).
std::filesystem::path evidence_key_file_of(const NodeConfig& config);

// Where the pages are when the config names no folder: share/puente/web beside the
// program's bin/ folder (an installed layout) if it exists, else server/web of the source tree
// the program was built from (a build tree: run-local.sh, the tests). Empty if neither exists.
std::filesystem::path default_web_root();

}  // namespace puente::app
