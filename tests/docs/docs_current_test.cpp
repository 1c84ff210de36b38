// The documentation names everything the code offers: every setting, every report key, every
// policy.
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "support/tool.hpp"
#include "vmsim/counters.hpp"
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
  // One row per counter, its unit and kernel name as the table declares them, and no row for a
  // counter the table does not have.
  std::size_t rows = 0;
  for (const CounterInfo& f : kCounters) {
    const std::string row = "| " + in_backticks(f.key) + " | " + std::string(f.unit) + " | " +
                            (f.vmstat.empty() ? std::string("-") : in_backticks(f.vmstat)) + " | " +
                            (f.models == CounterModels::FullOnly ? "*full*: " : "");
    EXPECT_NE(cli.find(row), std::string::npos) << "docs/cli.md lacks the row " << row;
  }
  const std::string header = "| key | unit | /proc/vmstat | meaning |\n| --- | --- | --- | --- |\n";
  const std::size_t table = cli.find(header);
  ASSERT_NE(table, std::string::npos) << "docs/cli.md lacks the counter table";
  for (std::size_t at = table + header.size(); cli.compare(at, 2, "| ") == 0;
       at = cli.find('\n', at) + 1) {
    ++rows;
  }
  EXPECT_EQ(rows, kCounterCount) << "the counter table in docs/cli.md has rows kCounters lacks";
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
