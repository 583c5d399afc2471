#pragma once
// The window's one handle on the person's own digits (core's MyDigits, in the user's data
// folder): every panel that shows or changes them (the drawing panel's "Add to my digits", the
// Data tab's "My digits", fine-tuning, the charts' "my digits" series) goes through it, and
// changed() tells the others. Errors come back as text for the user, naming the file and the
// problem; a damaged pair on disk is kept (see MyDigits.h) until moveCorruptAside(). Files changed
// by another program meanwhile are never overwritten: the change is refused and they are read again.

#include "data/MyDigits.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace dl {

class MyDigitsStore : public QObject {
  Q_OBJECT

 public:
  // A store in `folder` (settings::myDigitsFolder() in the app), read at once.
  explicit MyDigitsStore(const QString& folder, QObject* parent = nullptr);

  QString folder() const { return QString::fromStdString(m_digits.folder()); }
  int count() const { return m_digits.count(); }
  bool isEmpty() const { return m_digits.count() == 0; }
  const Dataset& digits() const { return m_digits.digits(); }
  // A copy of the digits to hand to another thread (a training run), shared read-only.
  std::shared_ptr<const Dataset> snapshot() const;
  // Why the files on disk cannot be used (empty: they can).
  bool isBroken() const { return m_digits.broken(); }
  QString error() const { return QString::fromStdString(m_digits.error()); }

  // Each saves at once; false with *error (the digits unchanged) when it cannot.
  bool add(const float* pixels, int label, QString* error = nullptr);
  bool remove(const std::vector<int>& indices, QString* error = nullptr);
  bool relabel(const std::vector<int>& indices, int label, QString* error = nullptr);
  // Moves a damaged pair aside (to .corrupt names) and starts empty; returns what was done.
  QString moveCorruptAside(QString* error = nullptr);
  // Reads the files again (after another program changed them). Forgets the undo steps.
  void reload();

  // Undo of the last add, delete or relabel made through this store (up to kUndoSteps back):
  // the digits as they were before it, saved at once.
  static constexpr int kUndoSteps = 50;
  bool canUndo() const { return !m_undo.empty(); }
  // "Undo delete", "Undo relabel", "Undo add" (empty: nothing to undo).
  QString undoText() const;
  bool undo(QString* error = nullptr);

 signals:
  // After every change of the digits or of the broken state.
  void changed();

 private:
  // Runs a change; on success remembers `before` as an undo step named `undoText`. When the files
  // were changed by another program meanwhile, reads them again and says so in *error.
  template <typename F>
  bool change(F&& f, QString* error, const QString& undoText = {});

  struct UndoStep {
    QString text;
    Dataset before;
  };
  MyDigits m_digits;
  std::vector<UndoStep> m_undo;  // oldest first
};

}  // namespace dl
