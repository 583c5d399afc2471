// --model: a preset, a spec file or a model file.

#include "ModelArgument.h"

#include "io/ModelFile.h"
#include "model/ModelSpecJson.h"

#include <QString>

#include <cctype>

namespace dl {

namespace {

bool endsWithNoCase(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  return true;
}

}  // namespace

ModelSpec resolveModelArgument(const std::string& arg) {
  if (arg == "mlp" || arg == "cnn" || arg == "digits") return presetByName(arg);
  if (endsWithNoCase(arg, ".json")) return readModelSpecFile(arg);
  if (endsWithNoCase(arg, ".dlm")) {
    try {
      return readModelFileSpec(QString::fromStdString(arg));
    } catch (const ModelFileError& e) {
      throw SpecError(e.what());
    }
  }
  throw SpecError("unknown model '" + arg + "': expected mlp, cnn, digits, a spec file (.json) or a model file (.dlm)");
}

}  // namespace dl
