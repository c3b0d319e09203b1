#!/usr/bin/env bash
# Install or update Kömək on Debian 12 or Raspberry Pi OS (bookworm), as root:
# the system user, Debian packages, the code in /opt/komek with its venv,
# settings in /etc/komek, data folders, the USB printer rule, log limits and the
# systemd units. Safe to run again: it keeps every settings file and printer
# rule an admin already has, and only replaces what it owns (code, units,
# drop-ins). --dry-run prints every action and changes nothing.
#
#   sudo deploy/install.sh [--role terminal|hub|both] [--session cage|x11]
#                          [--with-seatd] [--dry-run]
#
# KOMEK_ROOT (tests only): put every file under this folder instead of /.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: install.sh [--role terminal|hub|both] [--session cage|x11] [--with-seatd] [--dry-run]

  --role terminal   the kiosk app on this machine's screen (komek-kiosk.service)
  --role hub        the site hub only (komek-hub.service)
  --role both       both on one machine (default)
  --session cage    the app under the cage Wayland compositor (default)
  --session x11     the app under Xorg via xinit, for GPUs cage cannot drive
  --with-seatd      give cage its seat through seatd instead of logind
  --dry-run         print every action, change nothing
USAGE
}

role=both
session=cage
with_seatd=0
dry_run=0
while (($#)); do
  case $1 in
  --role)
    role=${2:-}
    shift
    (($#)) && shift
    ;;
  --role=*) role=${1#*=} && shift ;;
  --session)
    session=${2:-}
    shift
    (($#)) && shift
    ;;
  --session=*) session=${1#*=} && shift ;;
  --with-seatd) with_seatd=1 && shift ;;
  --dry-run) dry_run=1 && shift ;;
  -h | --help) usage && exit 0 ;;
  *)
    echo "install.sh: unknown option: $1" >&2
    usage >&2
    exit 2
    ;;
  esac
done
case $role in terminal | hub | both) ;; *)
  echo "install.sh: --role must be terminal, hub or both, not '$role'" >&2
  exit 2
  ;;
esac
case $session in cage | x11) ;; *)
  echo "install.sh: --session must be cage or x11, not '$session'" >&2
  exit 2
  ;;
esac
terminal=0 hub=0
[[ $role == hub ]] || terminal=1
[[ $role == terminal ]] || hub=1

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${KOMEK_ROOT:-}
user=komek
groups=(lp dialout video render input audio)
opt="$root/opt/komek"
venv="$opt/.venv"
etc="$root/etc/komek"
# Paths as the running system sees them (written into settings files).
kiosk_data=/var/lib/komek
hub_data=/var/lib/komek-hub
units="$root/etc/systemd/system"
printer_rule_name=99-komek-printer.rules

say() { printf 'install.sh: %s\n' "$*"; }
# Every change goes through run (or run_sh): printed, and done unless --dry-run.
# shows a command as a person would type it: words quoted only when they must be
show() {
  local out="+" a
  for a in "$@"; do
    if [[ $a == ">" || (-n $a && $a != *[!A-Za-z0-9_./:=@%+,-]*) ]]; then
      out+=" $a"
    else
      out+=" '${a//\'/\'\\\'\'}'"
    fi
  done
  printf '%s\n' "$out"
}
run() {
  show "$@"
  ((dry_run)) || "$@"
}
run_sh() {
  printf '+ %s\n' "$1"
  ((dry_run)) || bash -c "$1"
}

# A file this installer owns: replaced when it differs. Sets changed=1 if so.
changed=0
put_file() {
  local from=$1 to=$2 mode=$3
  if [[ -f $to ]] && cmp -s "$from" "$to"; then
    say "up to date: $to"
    return 0
  fi
  run install -D -m "$mode" "$from" "$to"
  changed=1
}

if ((dry_run)); then
  say "dry run: nothing is changed; every action is printed"
elif [[ -z $root && $(id -u) -ne 0 ]]; then
  echo "install.sh: run as root (sudo $0 ...), or try --dry-run" >&2
  exit 1
fi

if [[ -r /etc/os-release ]]; then
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ $codename == bookworm ]] ||
    say "warning: made for Debian 12 / Raspberry Pi OS bookworm, this is '${codename:-unknown}'; continuing"
fi
if [[ $(uname -m) == armv7l || $(uname -m) == armv6l ]]; then
  say "warning: 32-bit ARM: pip may have to build Kivy from source (an hour or more); 64-bit Raspberry Pi OS is recommended"
fi
say "role: $role$( ((terminal)) && echo ", session: $session")"

# ---- Debian packages ---------------------------------------------------------
packages=()
while IFS= read -r line || [[ -n $line ]]; do
  line=${line%%#*}
  line=${line//[[:space:]]/}
  [[ -n $line ]] && packages+=("$line")
done <"$src/deploy/debian-packages.txt"
if ((terminal)); then
  # Headphones (kiosk/core/narration/headphones.py): pactl finds a headset and
  # moves the narration into it; amixer is the fallback without a sound server.
  packages+=(pulseaudio-utils alsa-utils)
  # A sound server for pactl to ask, unless PipeWire's stands in for it already
  # (installing PulseAudio beside pipewire-pulse would fight over its socket).
  if ! dpkg-query -W -f='${Status}' pipewire-pulse 2>/dev/null | grep -q "install ok installed"; then
    packages+=(pulseaudio)
  fi
  if [[ $session == cage ]]; then
    # Kivy's SDL2 draws through Xwayland under cage.
    packages+=(cage xwayland)
  else
    packages+=(xserver-xorg xinit x11-xserver-utils matchbox-window-manager)
  fi
  if ((with_seatd)) && [[ $session == x11 ]]; then
    say "--with-seatd is for cage; Xorg gets its seat from logind"
    with_seatd=0
  fi
  ((with_seatd)) && packages+=(seatd)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all installed"
fi

# ---- system user -------------------------------------------------------------
if getent passwd "$user" >/dev/null; then
  say "user $user exists"
else
  run useradd --system --user-group --home-dir "$kiosk_data" --no-create-home \
    --shell /usr/sbin/nologin --comment "Kömək kiosk and hub" "$user"
fi
have_groups=" $(id -nG "$user" 2>/dev/null || true) "
add_groups=()
for g in "${groups[@]}"; do
  if ! getent group "$g" >/dev/null; then
    say "no group '$g' on this system; skipping it"
  elif [[ $have_groups != *" $g "* ]]; then
    add_groups+=("$g")
  fi
done
if ((${#add_groups[@]})); then
  joined=$(
    IFS=,
    echo "${add_groups[*]}"
  )
  run usermod -aG "$joined" "$user"
else
  say "user $user is in every group it needs"
fi

# ---- code and virtual environment ----------------------------------------------
# Kömək finds assets/ and config/ beside its package (kiosk/paths.py), so it is
# installed in place (pip -e) from /opt/komek, owned by root: the service user
# reads the code but cannot change it.
if [[ $src == "$opt" ]]; then
  say "running from $opt: code already in place"
else
  stage="$opt.new"
  run rm -rf "$stage"
  run mkdir -p "$stage"
  run_sh "tar -C $(printf %q "$src") --exclude=.git --exclude=.venv --exclude=__pycache__ --exclude='*.egg-info' --exclude=.pytest_cache --exclude=.ruff_cache --anchored --exclude=./build --exclude=./var -cf - . | tar -C $(printf %q "$stage") --no-same-owner -xf -"
  # The venv keeps its place; the old code is swapped out in one rename.
  [[ -d $venv ]] && run mv "$venv" "$stage/.venv"
  if [[ -d $opt ]]; then
    run mv "$opt" "$opt.old"
    run mv "$stage" "$opt"
    run rm -rf "$opt.old"
  else
    run mv "$stage" "$opt"
  fi
fi
if [[ ! -x $venv/bin/python ]]; then
  run python3 -m venv "$venv"
fi
stamp="$venv/.komek-installed"
if [[ ! -f $stamp || ! -x $venv/bin/kiosk || $opt/pyproject.toml -nt $stamp || $src/pyproject.toml -nt $stamp ]]; then
  run "$venv/bin/pip" install --quiet --upgrade pip
  run "$venv/bin/pip" install --quiet -e "$opt"
  run touch "$stamp"
else
  say "Python packages up to date"
fi
# The service user cannot write __pycache__ in /opt/komek: compile once here.
run "$venv/bin/python" -m compileall -q "$opt/kiosk"

# ---- settings and data folders ------------------------------------------------
if [[ -d $etc ]]; then say "folder $etc exists"; else run install -d -m 0750 "$etc"; fi
run chown "root:$user" "$etc"
config_file() {
  local name=$1 data=$2 to="$etc/$1"
  if [[ -e $to ]]; then
    say "keep $to: an admin's settings are never overwritten (every default: $opt/config/$name)"
    return 0
  fi
  show sed "s|^data_dir = .*|data_dir = \"$data\"|" "$src/config/$name" ">" "$to"
  ((dry_run)) || sed "s|^data_dir = .*|data_dir = \"$data\"|" "$src/config/$name" >"$to"
  # Terminal keys and PIN hashes live here: not for other users.
  run chmod 0640 "$to"
  run chown "root:$user" "$to"
}
data_dir() {
  if [[ -d $root$1 ]]; then say "folder $root$1 exists"; else run install -d -m 0750 "$root$1"; fi
  run chown "$user:$user" "$root$1"
}
if ((terminal)); then
  config_file kiosk.toml "$kiosk_data"
  data_dir "$kiosk_data"
fi
if ((hub)); then
  config_file hub.toml "$hub_data"
  data_dir "$hub_data"
fi

# ---- USB receipt printer -------------------------------------------------------
if ((terminal)); then
  rule="$src/deploy/$printer_rule_name"
  to="$root/etc/udev/rules.d/$printer_rule_name"
  if [[ ! -f $rule ]]; then
    say "skip printer rule: deploy/$printer_rule_name is missing; a USB receipt printer needs it (docs/deploy.md)"
  elif [[ -e $to ]] && cmp -s "$rule" "$to"; then
    say "up to date: $to"
  elif [[ -e $to ]]; then
    say "keep $to: edited for this site's printer (the shipped one: $rule)"
  else
    run install -D -m 0644 "$rule" "$to"
    run udevadm control --reload-rules
    run udevadm trigger --subsystem-match=usb --action=add
  fi
fi

# ---- logs and the hardware watchdog --------------------------------------------
changed=0
put_file "$src/deploy/journald/komek.conf" "$root/etc/systemd/journald.conf.d/komek.conf" 0644
((changed)) && run systemctl restart systemd-journald.service
changed=0
put_file "$src/deploy/watchdog/komek-watchdog.conf" "$root/etc/systemd/system.conf.d/komek-watchdog.conf" 0644
((changed)) && say "hardware watchdog: takes effect after the next reboot"

# ---- systemd units -------------------------------------------------------------
changed=0
if ((hub)); then
  put_file "$src/deploy/systemd/komek-hub.service" "$units/komek-hub.service" 0644
fi
if ((terminal)); then
  put_file "$src/deploy/systemd/komek-kiosk.service" "$units/komek-kiosk.service" 0644
  put_file "$src/deploy/systemd/komek-kiosk-x11.service" "$units/komek-kiosk-x11.service" 0644
  if ((with_seatd)); then
    dropin="$units/komek-kiosk.service.d/seatd.conf"
    if [[ -f $dropin ]]; then
      say "up to date: $dropin"
    else
      run install -d -m 0755 "${dropin%/*}"
      show printf '[Service]\nEnvironment=LIBSEAT_BACKEND=seatd\n' ">" "$dropin"
      ((dry_run)) || printf '[Service]\nEnvironment=LIBSEAT_BACKEND=seatd\n' >"$dropin"
      changed=1
    fi
  fi
fi
((changed)) && run systemctl daemon-reload

is_enabled() { systemctl is-enabled --quiet "$1" 2>/dev/null; }
is_active() { systemctl is-active --quiet "$1" 2>/dev/null; }
if ((hub)); then
  run systemctl enable komek-hub.service
  run systemctl restart komek-hub.service
fi
if ((terminal)); then
  ((with_seatd)) && run systemctl enable --now seatd.service
  if [[ $session == cage ]]; then kiosk_unit=komek-kiosk.service other=komek-kiosk-x11.service; else kiosk_unit=komek-kiosk-x11.service other=komek-kiosk.service; fi
  is_enabled "$other" && run systemctl disable "$other"
  run systemctl enable "$kiosk_unit"
  if is_active "$kiosk_unit"; then
    # tty1 already belongs to the kiosk: bring it up on the new code.
    run systemctl restart "$kiosk_unit"
  else
    say "the kiosk starts at the next boot (or now: systemctl start $kiosk_unit; it takes over tty1)"
  fi
  if is_enabled display-manager.service; then
    say "warning: a desktop login (display-manager.service) is enabled; for a kiosk: systemctl disable display-manager.service"
  fi
fi

# ---- what is left for a person ---------------------------------------------------
kiosk_cmd="sudo -u $user /opt/komek/.venv/bin/kiosk"
say "done. Next (docs/deploy.md has the details):"
if ((hub)); then
  say "  hub: $kiosk_cmd hub add-volunteer NAME --site SITE --config /etc/komek/hub.toml"
  say "  hub: $kiosk_cmd hub add-terminal TERMINAL --site SITE --config /etc/komek/hub.toml (prints its key once)"
  say "  hub: HTTPS for the LAN: put nginx in front (deploy/nginx-hub.conf)"
fi
if ((terminal)); then
  say "  terminal: in /etc/komek/kiosk.toml set kiosk.terminal_id, kiosk.site, hub.url, hub.terminal_key, the printer"
  say "  terminal: staff PIN: /opt/komek/.venv/bin/kiosk hash-pin, then kiosk.exit_pin_hash in /etc/komek/kiosk.toml"
  say "  terminal: check: $kiosk_cmd doctor --config /etc/komek/kiosk.toml; then reboot"
fi
