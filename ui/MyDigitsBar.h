#pragma once
// The drawing panel's "Add to my digits" row: a one-digit label field (pre-filled with the
// network's top guess until the person types one), the "Add to my digits" button and how many
// there are ("12 of my digits"). Adding stores the canvas's current 28x28 network input (the
// panel's currentDigit()) with the label, then clears the canvas for the next digit.
//
// Quick to use: with the canvas focused, a digit key puts that digit in the label field and
// Enter (or Return) adds, as Enter in the label field does. Nothing is added without ink or
// without a label; the row says what is missing. While the files on disk are damaged, the row
// says so (naming the file) and offers "Move aside" instead of adding.
//
// With setFineTuneAction() it also shows the window's "Fine-tune on my digits" as a button, while
// that action is enabled (my digits there, a trained model, MNIST loaded).
//
// Usage: the panel creates it; the window gives it the store with setStore().

#include <QWidget>

class QAction;
class QLabel;
class QToolButton;
class QLineEdit;
class QPushButton;

namespace dl {

class DigitPanel;
class MyDigitsStore;

class MyDigitsBar : public QWidget {
  Q_OBJECT

 public:
  explicit MyDigitsBar(DigitPanel* panel);

  // Where added digits go (null: the row is disabled).
  void setStore(MyDigitsStore* store);
  MyDigitsStore* store() const { return m_store; }
  // Shows `action` as a button beside the count while the action is enabled.
  void setFineTuneAction(QAction* action);

  // The label field's digit, -1 when empty.
  int label() const;
  // Adds the current digit with the label (what the button does); false and a message if it cannot.
  bool addCurrentDigit();
  // The last message shown (what is missing, what went wrong, what was added).
  QString message() const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onPrediction(int digit);
  void updateState();
  void showMessage(const QString& text, bool error);

  DigitPanel* m_panel = nullptr;
  MyDigitsStore* m_store = nullptr;
  QLineEdit* m_label = nullptr;
  QPushButton* m_add = nullptr;
  QPushButton* m_moveAside = nullptr;
  QLabel* m_count = nullptr;
  QLabel* m_message = nullptr;
  QToolButton* m_fineTune = nullptr;
  bool m_typed = false;  // the person typed the label: the network's guess no longer fills it
};

}  // namespace dl
