#!/usr/bin/env bash
# Takes docs/omegat.png: OmegaT 3.6 with the plugin under Xvfb, on a two-
# sentence project, showing Tolk's suggestion and glossary hits. Not part of
# CI; needs xvfb, xdotool and imagemagick (apt-get install xvfb xauth
# xdotool imagemagick), build.sh's jar, and a server at TOLK_ADDR.
#
#   TOLK_ADDR=127.0.0.1:50051 integrations/omegat/screenshot.sh [OUT.png]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/../../docs/omegat.png}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/proj/{source,target,tm,glossary,dictionary,omegat} "$work/cfg/plugins"
cp "$here/build/tolk-omegat.jar" "$work/cfg/plugins/"
sed -n '/^const projectFile = `/,/^`/p' "$here/omegat_test.go" | sed '1s/^const projectFile = `//;$d' > "$work/proj/omegat.project"
printf '%s\n\n%s\n' \
  'De Amerikaanse minister van Buitenlandse Zaken Antony Blinken heeft op 27 september een telefoongesprek gevoerd met Ilham Aliyev, president van de Republiek Azerbeidzjan, zo meldt Report.az.' \
  'De VN-Veiligheidsraad veroordeelde de antiterreurmaatregelen.' > "$work/proj/source/article.txt"
cat > "$work/run.sh" <<RUN
#!/usr/bin/env bash
java -Dtolk.addr="${TOLK_ADDR:-127.0.0.1:50051}" -jar /usr/share/omegat/OmegaT.jar --config-dir="$work/cfg" "$work/proj" > "$work/omegat.log" 2>&1 &
pid=\$!
sleep ${WAIT:-45}
xdotool key Escape; sleep 2                      # the Project Files dialog
w=\$(xdotool search --name 'OmegaT 3.6' | head -1)
xdotool windowsize \$w 1200 760 windowmove \$w 0 0; sleep 4
xdotool mousemove 181 716 click 1; sleep 4       # the Machine Translation tab
import -window root "$out"
kill \$pid; wait \$pid || true
RUN
chmod +x "$work/run.sh"
xvfb-run -a -s "-screen 0 1200x760x24" "$work/run.sh"
echo "wrote $out"
