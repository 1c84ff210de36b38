// The documentation names everything the code offers: every setting, every report key, every
// policy.
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "stats/counter_fields.hpp"
#include "support/tool.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim::test {
namespace {

// "`name`", built by appends: GCC 12 misreads `"`" + std::string(x)` as an overlapping copy.
std::string in_backticks(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '`';
  out += name;
  out += '`';
  return out;
}

std::string doc(const std::string& name) {
  return Scratch::read(std::string(VMSIM_SOURCE_DIR) + "/docs/" + name);
}

TEST(Docs, CliDocumentsEverySettingAndKey) {
  const std::string cli = doc("cli.md");
  ASSERT_FALSE(cli.empty());
  for (const cli::OptionSpec& o : cli::option_table()) {
    EXPECT_NE(cli.find(in_backticks("--" + std::string(o.name)).substr(0, o.name.size() + 3)),
              std::string::npos)
        << o.name;
  }
  for (const CounterField& f : kCounterFields) {
    EXPECT_NE(cli.find(in_backticks(f.key)), std::string::npos) << f.key;
  }
  for (const auto& [name, text] : cli::presets()) {
    EXPECT_NE(cli.find(in_backticks(name)), std::string::npos) << name;
  }
}

TEST(Docs, PoliciesDocumentsEveryPolicy) {
  const std::string policies = doc("policies.md");
  for (const PolicyDescription& p : list_policies()) {
    EXPECT_NE(policies.find(in_backticks(p.name)), std::string::npos) << p.name;
  }
}

}  // namespace
}  // namespace vmsim::test
