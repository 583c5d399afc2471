#pragma once
// One CSV field as RFC 4180 writes it: as it is, or in double quotes (quotes doubled) when it holds
// a comma, a quote or a line break. For every CSV DigitLab writes.

#include <string>

namespace dl {

inline std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace dl
