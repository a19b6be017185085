#pragma once
// Shell completion for bash and zsh, generated from the command specs
// (docs/commands.md "Manual pages and completion"): the commands, two-word
// ones included ("media sync"), each command's options, a choice option's
// choices (and a text option's suggestions), files for path options and
// positional arguments. The build writes them with
// `pgscrub help --completion bash|zsh` and installs them.

#include <string>

namespace pgscrub::cli {

// A bash script defining _pgscrub and registering it with `complete -F`.
std::string bash_completion();

// A zsh completion function file (#compdef pgscrub) for an fpath directory.
std::string zsh_completion();

} // namespace pgscrub::cli
