// The window's handle on my digits. See MyDigitsStore.h.

#include "MyDigitsStore.h"

#include "data/IdxReader.h"

namespace dl {

MyDigitsStore::MyDigitsStore(const QString& folder, QObject* parent) : QObject(parent), m_digits(folder.toStdString()) {
  reload();
}

std::shared_ptr<const Dataset> MyDigitsStore::snapshot() const { return std::make_shared<const Dataset>(digits()); }

void MyDigitsStore::reload() {
  try {
    m_digits.load();
  } catch (const DataError&) {
    // Kept in m_digits.error(): the store is broken and says why.
  }
  emit changed();
}

template <typename F>
bool MyDigitsStore::change(F&& f, QString* error) {
  try {
    f();
  } catch (const DataError& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  emit changed();
  return true;
}

bool MyDigitsStore::add(const float* pixels, int label, QString* error) {
  return change([&] { m_digits.add(pixels, label); }, error);
}

bool MyDigitsStore::remove(const std::vector<int>& indices, QString* error) {
  return change([&] { m_digits.remove(indices); }, error);
}

bool MyDigitsStore::relabel(const std::vector<int>& indices, int label, QString* error) {
  return change([&] { m_digits.relabel(indices, label); }, error);
}

QString MyDigitsStore::moveCorruptAside(QString* error) {
  std::string said;
  if (!change([&] { said = m_digits.moveCorruptAside(); }, error)) return {};
  return QString::fromStdString(said);
}

}  // namespace dl
