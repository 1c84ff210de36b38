// The documentation names everything the code offers: every setting, every report key, every
// policy.
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "stats/counter_fields.hpp"
#include "support/tool.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim::test {
namespace {

std::string doc(const std::string& name) {
  return Scratch::read(std::string(VMSIM_SOURCE_DIR) + "/docs/" + name);
}

TEST(Docs, CliDocumentsEverySettingAndKey) {
  const std::string cli = doc("cli.md");
  ASSERT_FALSE(cli.empty());
  for (const cli::OptionSpec& o : cli::option_table()) {
    EXPECT_NE(cli.find("`--" + std::string(o.name)), std::string::npos) << o.name;
  }
  for (const CounterField& f : kCounterFields) {
    EXPECT_NE(cli.find("`" + std::string(f.key) + "`"), std::string::npos) << f.key;
  }
  for (const auto& [name, text] : cli::presets()) {
    EXPECT_NE(cli.find("`" + std::string(name) + "`"), std::string::npos) << name;
  }
}

TEST(Docs, PoliciesDocumentsEveryPolicy) {
  const std::string policies = doc("policies.md");
  for (const PolicyDescription& p : list_policies()) {
    EXPECT_NE(policies.find("`" + std::string(p.name) + "`"), std::string::npos) << p.name;
  }
}

}  // namespace
}  // namespace vmsim::test
