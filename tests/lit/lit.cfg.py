# SPDX-License-Identifier: Apache-2.0
#
# lit configuration of actc: .mlir files run through actc-opt, .act model
# files and .test scripts through actc; FileCheck, not and count come from
# LLVM 22's tools directory.
import os
import sys

import lit.formats
import lit.llvm

lit.llvm.initialize(lit_config, config)
from lit.llvm import llvm_config  # noqa: E402

config.name = "actc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".act", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "expect_status.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.actc_obj_root, "tests", "lit")

llvm_config.with_system_environment(["HOME", "TMPDIR", "PATH"])
llvm_config.use_default_substitutions()
llvm_config.add_tool_substitutions(["actc", "actc-opt", "actc-interp"], [config.actc_tools_dir])

config.substitutions.append(("%examples", os.path.join(config.actc_src_root, "examples")))
config.substitutions.append(("%actc_bin", os.path.join(config.actc_tools_dir, "actc")))
config.substitutions.append(("%llvm_lib", os.path.join(config.llvm_tools_dir, "..", "lib", "libLLVM.so")))
config.substitutions.append(("%actc_opt_bin", os.path.join(config.actc_tools_dir, "actc-opt")))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(
    ("%expect-status", f"{sys.executable} {os.path.join(config.test_source_root, 'expect_status.py')}"))
