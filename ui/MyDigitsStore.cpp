// The window's handle on my digits. See MyDigitsStore.h.

#include "MyDigitsStore.h"

#include "data/IdxReader.h"

namespace dl {

MyDigitsStore::MyDigitsStore(const QString& folder, QObject* parent) : QObject(parent), m_digits(folder.toStdString()) {
  reload();
}

std::shared_ptr<const Dataset> MyDigitsStore::snapshot() const { return std::make_shared<const Dataset>(digits()); }

void MyDigitsStore::reload() {
  m_undo.clear();
  try {
    m_digits.load();
  } catch (const DataError&) {
    // Kept in m_digits.error(): the store is broken and says why.
  }
  emit changed();
}

template <typename F>
bool MyDigitsStore::change(F&& f, QString* error, const QString& undoText) {
  Dataset before = undoText.isEmpty() ? Dataset{} : m_digits.digits();
  try {
    f();
  } catch (const DataError& e) {
    QString why = QString::fromUtf8(e.what());
    if (!m_digits.broken() && m_digits.changedOnDisk()) {
      reload();
      why += tr(". They were read again: %1.").arg(isBroken() ? this->error() : tr("%1 digits now").arg(count()));
    }
    if (error) *error = why;
    return false;
  }
  if (!undoText.isEmpty()) {
    m_undo.push_back({undoText, std::move(before)});
    if (int(m_undo.size()) > kUndoSteps) m_undo.erase(m_undo.begin());
  }
  emit changed();
  return true;
}

QString MyDigitsStore::undoText() const { return m_undo.empty() ? QString() : m_undo.back().text; }

bool MyDigitsStore::undo(QString* error) {
  if (m_undo.empty()) return false;
  const Dataset before = m_undo.back().before;
  if (!change([&] { m_digits.restore(before); }, error)) return false;
  if (!m_undo.empty()) m_undo.pop_back();
  emit changed();  // the undo step is gone too
  return true;
}

bool MyDigitsStore::add(const float* pixels, int label, QString* error) {
  return change([&] { m_digits.add(pixels, label); }, error, tr("Undo add"));
}

bool MyDigitsStore::remove(const std::vector<int>& indices, QString* error) {
  return change([&] { m_digits.remove(indices); }, error, tr("Undo delete"));
}

bool MyDigitsStore::relabel(const std::vector<int>& indices, int label, QString* error) {
  return change([&] { m_digits.relabel(indices, label); }, error, tr("Undo relabel"));
}

QString MyDigitsStore::moveCorruptAside(QString* error) {
  std::string said;
  if (!change([&] { said = m_digits.moveCorruptAside(); }, error)) return {};
  m_undo.clear();
  return QString::fromStdString(said);
}

}  // namespace dl
