#include "cli/app.hpp"

int main(int argc, char** argv) {
  return vmsim::cli::run_cli(argc, argv);
}
