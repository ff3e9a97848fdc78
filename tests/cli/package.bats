#!/usr/bin/env bats
# Packaging: cmake --install and the .deb from cpack hold a working binary, completions, man page.

load helpers

@test "cmake --install puts the binary, completions and man page in place" {
  cmake --install "$NUMCTL_BUILD_DIR" --prefix "$TEST_DIR/root" >/dev/null
  "$TEST_DIR/root/bin/numctl" --version
  # Parsing needs the phone module, found in the installed layout, not in the build tree.
  "$TEST_DIR/root/bin/numctl" buy +447400100001
  [ -f "$TEST_DIR/root/lib/x86_64-linux-gnu/numctl/numctl_phone.so" ] || [ -f "$TEST_DIR/root/lib/numctl/numctl_phone.so" ]
  [ -f "$TEST_DIR/root/share/bash-completion/completions/numctl" ]
  [ -f "$TEST_DIR/root/share/zsh/vendor-completions/_numctl" ]
  [ -f "$TEST_DIR/root/share/fish/vendor_completions.d/numctl.fish" ]
  grep -q '^\.SH EXIT STATUS' "$TEST_DIR/root/share/man/man1/numctl.1"
}

@test "the .deb unpacks into a root where numctl runs" {
  command -v dpkg-deb >/dev/null || skip "dpkg-deb is not installed"
  cd "$TEST_DIR"
  cpack -G DEB --config "$NUMCTL_BUILD_DIR/CPackConfig.cmake" -B "$TEST_DIR/pkg" >/dev/null
  deb=$(ls "$TEST_DIR"/pkg/*.deb)
  dpkg-deb --info "$deb" | grep -q "Package: numctl"
  dpkg -x "$deb" "$TEST_DIR/root"
  [ -f "$TEST_DIR/root/usr/share/man/man1/numctl.1" ] || [ -f "$TEST_DIR/root/usr/share/man/man1/numctl.1.gz" ]
  [ -f "$TEST_DIR/root/usr/share/bash-completion/completions/numctl" ]
  "$TEST_DIR/root/usr/bin/numctl" buy +447400100001
  [ "$("$TEST_DIR/root/usr/bin/numctl" list --format plain)" = "+447400100001" ]
}

@test "a missing phone module is a clear internal error, and reading commands still work" {
  cmake --install "$NUMCTL_BUILD_DIR" --prefix "$TEST_DIR/root" >/dev/null
  "$TEST_DIR/root/bin/numctl" buy +447400100001
  find "$TEST_DIR/root" -name numctl_phone.so -delete
  run "$TEST_DIR/root/bin/numctl" list --format plain
  [ "$output" = "+447400100001" ]
  run "$TEST_DIR/root/bin/numctl" buy +447400100002
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot load numctl's phone module"* ]]
  # An import large enough to be checked on every core: one line, exit 1, nothing imported.
  { echo number; seq -f '+4474002%05g' 1 3000; } > "$TEST_DIR/many.csv"
  status=0
  "$TEST_DIR/root/bin/numctl" import "$TEST_DIR/many.csv" >"$TEST_DIR/out" 2>"$TEST_DIR/err" || status=$?
  [ "$status" -eq 1 ]
  [ ! -s "$TEST_DIR/out" ]
  [ "$(wc -l <"$TEST_DIR/err")" -eq 1 ]
  grep -q "cannot load numctl's phone module" "$TEST_DIR/err"
  [ "$("$TEST_DIR/root/bin/numctl" list --format plain)" = "+447400100001" ]
}
