// Where a node writes (issue 24 item 3): [node] state_dir, else systemd's $STATE_DIRECTORY, else
// the build tree's state/ folder; a relative journal lives under it; never beside the config.
#include "app/node/install_layout.hpp"

#include "app/node/config.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::app {
namespace {

namespace fs = std::filesystem;

TEST(StateDir, TheConfiguredFolderWinsThenSystemdsThenTheBuiltInOne) {
  EXPECT_EQ(choose_state_dir("/srv/puente", "/var/lib/puente/la", "/build/state"), "/srv/puente");
  EXPECT_EQ(choose_state_dir("", "/var/lib/puente/la", "/build/state"), "/var/lib/puente/la");
  // StateDirectory= with several folders: systemd joins them with ':'; the first is the node's.
  EXPECT_EQ(choose_state_dir("", "/var/lib/puente/la:/var/lib/other", "/build/state"),
            "/var/lib/puente/la");
  EXPECT_EQ(choose_state_dir("", "", "/build/state"), "/build/state");
}

TEST(StateDir, ABuildTreesNodeWritesInTheBuildFolderNotTheSourceTree) {
  // build/debug/state: in the clone's build folder, never config/ or server/.
  EXPECT_EQ(built_in_state_dir(), fs::path(PUENTE_BUILD_DIR) / "state");
}

TEST(StateDir, ARelativeJournalLivesUnderTheStateFolder) {
  EXPECT_EQ(journal_file_in("/var/lib/puente/la", "", "node-1"),
            "/var/lib/puente/la/node-1.journal");
  EXPECT_EQ(journal_file_in("/var/lib/puente/la", "journals/a.journal", "node-1"),
            "/var/lib/puente/la/journals/a.journal");
  EXPECT_EQ(journal_file_in("/var/lib/puente/la", "/srv/a.journal", "node-1"), "/srv/a.journal");
}

TEST(StateDir, SettlingMakesThePrivateFolderAndPutsTheJournalAndRevocationsThere) {
  puente::test::TempDir dir;
  NodeConfig config;
  config.node_id = "a";
  config.roster_file = dir.path() / "etc" / "roster.toml";
  config.journal_file = "j/a.journal";
  config.port_file = "port";
  settle_state_dir(config, (dir.path() / "state").c_str());
  EXPECT_EQ(config.state_dir, dir.path() / "state");
  EXPECT_TRUE(fs::is_directory(config.state_dir));
  EXPECT_EQ(fs::status(config.state_dir).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(config.journal_file, dir.path() / "state" / "j" / "a.journal");
  EXPECT_EQ(config.port_file, dir.path() / "state" / "port");
  EXPECT_EQ(revocations_file_of(config), dir.path() / "state" / "revoked-tokens");
}

TEST(StateDir, ARevocationsFileLeftBesideTheRosterStopsTheNodeNamingBothPlaces) {
  puente::test::TempDir dir;
  fs::create_directories(dir.path() / "etc");
  std::ofstream(dir.path() / "etc" / "revoked-tokens") << "# revoked before state_dir\n";
  NodeConfig config;
  config.node_id = "a";
  config.roster_file = dir.path() / "etc" / "roster.toml";
  config.state_dir = dir.path() / "state";
  try {
    settle_state_dir(config, nullptr);
    FAIL() << "a node started without the revocations it kept";
  } catch (const std::runtime_error& e) {
    const std::string why = e.what();
    EXPECT_NE(why.find((dir.path() / "etc" / "revoked-tokens").string()), std::string::npos) << why;
    EXPECT_NE(why.find((dir.path() / "state" / "revoked-tokens").string()), std::string::npos)
        << why;
  }
  // Named in the config, the old file is simply used.
  config.revocations_file = dir.path() / "etc" / "revoked-tokens";
  EXPECT_NO_THROW(settle_state_dir(config, nullptr));
}

TEST(StateDir, AlertTextsComeFromBesideTheConfigWhenThereAreAny) {
  puente::test::TempDir dir;
  // None beside the config, a build tree (nothing installed): the config's own folder is named.
  EXPECT_EQ(default_templates_dir(dir.path() / "la.toml"), dir.path() / "templates");
  fs::create_directories(dir.path() / "templates");
  EXPECT_EQ(default_templates_dir(dir.path() / "la.toml"), dir.path() / "templates");
  EXPECT_TRUE(installed_data_dir().empty()) << "a test program is not installed";
}

}  // namespace
}  // namespace puente::app
