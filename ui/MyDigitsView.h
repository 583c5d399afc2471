#pragma once
// The Data tab's "My digits": the person's own digits as thumbnails (white ink on black, as the
// network sees them) with their labels, in the order they were added. Select one or more (click,
// Ctrl/Shift+click, Ctrl+A), then
//   - type a digit 0–9: they get that label;
//   - Delete or Backspace (or the Delete button): they are removed;
//   - right-click: a menu with "Relabel as" 0–9 and "Delete";
//   - Ctrl+Z (or the Undo button): undoes the last add, delete or relabel.
// Every change is saved to disk at once (MyDigitsStore). A damaged pair of files is shown as the
// error naming the file, with "Move aside".

#include <QWidget>

#include <vector>

class QLabel;
class QListView;
class QPushButton;

namespace dl {

class MyDigitsStore;
class MyDigitsModel;

class MyDigitsView : public QWidget {
  Q_OBJECT

 public:
  explicit MyDigitsView(QWidget* parent = nullptr);

  void setStore(MyDigitsStore* store);
  MyDigitsStore* store() const { return m_store; }
  QListView* list() const { return m_list; }
  // The selected digits' indices, ascending.
  std::vector<int> selectedIndices() const;
  // The last error or what was done (for the person; empty: none).
  QString message() const;

  // What the keys, the button and the menu do.
  bool relabelSelected(int label);
  bool deleteSelected();
  bool undo();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onStoreChanged();
  void showContextMenu(const QPoint& pos);
  void select(const std::vector<int>& rows);
  void showMessage(const QString& text, bool error);

  MyDigitsStore* m_store = nullptr;
  MyDigitsModel* m_model = nullptr;
  QListView* m_list = nullptr;
  QLabel* m_header = nullptr;
  QLabel* m_message = nullptr;
  QPushButton* m_delete = nullptr;
  QPushButton* m_moveAside = nullptr;
  QPushButton* m_undo = nullptr;
};

}  // namespace dl
