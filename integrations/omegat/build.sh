#!/usr/bin/env bash
# Builds the Tolk plugin for OmegaT 3.6: build/tolk-omegat.jar.
#
# Everything comes from Debian's packages (see the README's "OmegaT" section):
# the Java stubs are generated at build time from proto/tolk/v1/*.proto with
# protoc and the grpc-java plugin, and compiled with javac against OmegaT's jar
# and the gRPC, protobuf, Guava and Netty jars in /usr/share/java. The jar's
# manifest names those jars on its Class-Path, so OmegaT loads them with the
# plugin. Nothing is downloaded.
#
# Also compiles the test driver into build/test (see omegat_test.go).
#
#   integrations/omegat/build.sh            build the plugin and the test driver
#   OMEGAT_JAR=/path/OmegaT.jar build.sh    another OmegaT 3.6 jar
#   BUILD_DIR=/tmp/x build.sh               build elsewhere (the Go test does)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${BUILD_DIR:-$here/build}"
java_dir="${JAVA_DIR:-/usr/share/java}"
omegat_jar="${OMEGAT_JAR:-/usr/share/omegat/OmegaT.jar}"
grpc_plugin="${GRPC_JAVA_PLUGIN:-/usr/bin/grpc_java_plugin}"
proto_include="${PROTO_INCLUDE:-/usr/include}"

# The runtime class path of the plugin, in /usr/share/java.
runtime_jars=(
  grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite grpc-stub
  protobuf guava perfmark-api
  netty-buffer netty-codec netty-codec-http netty-codec-http2 netty-codec-socks netty-common
  netty-handler netty-handler-proxy netty-resolver netty-transport
)

missing=()
for tool in javac jar protoc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
for f in "$omegat_jar" "$grpc_plugin" "$proto_include/google/protobuf/timestamp.proto"; do
  [ -e "$f" ] || missing+=("$f")
done
for j in "${runtime_jars[@]}"; do [ -e "$java_dir/$j.jar" ] || missing+=("$java_dir/$j.jar"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: missing: ${missing[*]}" >&2
  echo "install: apt-get install default-jdk-headless omegat libgrpc-java libprotobuf-java libprotobuf-dev protobuf-compiler protobuf-compiler-grpc-java-plugin libnetty-java libperfmark-java" >&2
  exit 1
fi

cp=""
for j in "${runtime_jars[@]}"; do cp="$cp:$java_dir/$j.jar"; done
cp="$omegat_jar$cp"

rm -rf "$out"
mkdir -p "$out/gen" "$out/classes" "$out/test"

# Java stubs from the .proto files: the plugin's only link to Tolk.
protoc -I "$root/proto" -I "$proto_include" \
  --java_out="$out/gen" \
  --plugin=protoc-gen-grpc-java="$grpc_plugin" --grpc-java_out="$out/gen" \
  "$root"/proto/tolk/v1/*.proto

# --release 8: OmegaT 3.6 runs on Java 8 and later.
javac -nowarn -encoding UTF-8 --release 8 -Xlint:-options -cp "$cp" -d "$out/classes" \
  $(find "$out/gen" "$here/src" -name '*.java' | sort) 2> >(grep -v '^Note:' >&2)

# The manifest: OmegaT 3.6 loads classes named in per-class sections
# ("OmegaT-Plugin: MachineTranslator" / "glossary", with "OmegaT-Plugin: true"
# in the main section) and calls loadPlugins() on the classes in "OmegaT-Plugins".
{
  echo "Manifest-Version: 1.0"
  echo "Implementation-Title: Tolk for OmegaT"
  echo "OmegaT-Plugin: true"
  echo "OmegaT-Plugins: org.tolkdev.omegat.TolkPlugin"
  echo "Class-Path: $java_dir/${runtime_jars[0]}.jar"
  for j in "${runtime_jars[@]:1}"; do echo "  $java_dir/$j.jar"; done
  echo
  echo "Name: org.tolkdev.omegat.TolkMachineTranslation"
  echo "OmegaT-Plugin: MachineTranslator"
  echo
  echo "Name: org.tolkdev.omegat.TolkGlossary"
  echo "OmegaT-Plugin: glossary"
  echo
} > "$out/MANIFEST.MF"
jar --create --file "$out/tolk-omegat.jar" --manifest "$out/MANIFEST.MF" -C "$out/classes" .

# The test driver needs only OmegaT: it loads the plugin as OmegaT does.
javac -nowarn -encoding UTF-8 -cp "$omegat_jar" -d "$out/test" $(find "$here/test" -name '*.java' | sort)

echo "built $out/tolk-omegat.jar"
