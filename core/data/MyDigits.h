#pragma once
// The person's own digits ("My digits"): 28x28 drawings with the label the person typed, kept on
// disk as a pair of MNIST IDX files in one folder (the app's and the command line's data folder,
// <AppDataLocation>/my-digits, unless the caller names another):
//
//   my-digits-images-idx3-ubyte   magic 0x00000803, count, 28, 28, then count*784 grey bytes
//   my-digits-labels-idx1-ubyte   magic 0x00000801, count, then count labels 0..9
//
// exactly what `digitlab evaluate --data DIR` and the project's IdxReader read (they are read back
// with readIdxPair). No digits: no files (IDX cannot say "0 images"; the reader refuses it).
//
// Every change (add, remove, relabel) is written at once. Each file is written to a temporary
// file next to it and renamed over the old one (QSaveFile), the two renames one after the other
// once both files are fully written; a failed write leaves the files and the digits in memory as
// they were and throws DataError.
//
// A damaged pair (truncated, wrong magic, image and label counts that differ, a label over 9, one
// of the two files missing) is never overwritten: load() throws DataError naming the file and the
// defect, and the store is then broken(): it holds no digits and refuses every change (throwing
// the same error) until moveCorruptAside() renames the files to "<name>.corrupt" (or
// ".corrupt-2", ...) and starts an empty set, or a later load() succeeds.

#include "data/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dl {

class MyDigits {
 public:
  static constexpr int kSide = 28;
  static constexpr const char* kImagesFileName = "my-digits-images-idx3-ubyte";
  static constexpr const char* kLabelsFileName = "my-digits-labels-idx1-ubyte";
  // What training on an empty set says (the CLI's --data my, the app's "My digits").
  static std::string emptyMessage();

  // A store in `folder` (created on the first write). Holds nothing until load().
  explicit MyDigits(std::string folder);

  // <AppDataLocation>/my-digits: the folder the app and the command line share (QCoreApplication's
  // organisation and application name decide it; both are "DigitLab").
  static std::string defaultFolder();

  const std::string& folder() const { return m_folder; }
  std::string imagesPath() const;
  std::string labelsPath() const;

  // Reads the pair from disk. Neither file there: an empty set. Throws DataError (naming the file
  // and the defect) for anything else that is not a valid pair of 28x28 digits; the store is then
  // broken() with that error and no digits.
  void load();
  bool broken() const { return !m_error.empty(); }
  const std::string& error() const { return m_error; }

  // The digits, in the order they were added (values are the stored bytes / 255).
  const Dataset& digits() const { return m_digits; }
  int count() const { return m_digits.count; }
  int label(int index) const { return m_digits.labels.at(size_t(index)); }

  // Appends a 28x28 digit (784 values in [0, 1], 1 = ink; clamped and stored as bytes) with its
  // label 0..9 and saves. Throws DataError when broken, for a bad label, or when saving fails.
  void add(const float* pixels, int label);
  // Removes the digits at these indices (any order, duplicates ignored) and saves.
  void remove(std::vector<int> indices);
  // Gives the digits at these indices the label 0..9 and saves.
  void relabel(const std::vector<int>& indices, int label);

  // Replaces all digits with `d` (28x28, labels 0..9) and saves: what undo restores.
  void restore(const Dataset& d);

  // Whether the files on disk are no longer those this store read or wrote last (another DigitLab,
  // or `digitlab` scripts, changed them). Every change checks it first and refuses with DataError
  // rather than overwrite what the other program wrote; load() again to go on.
  bool changedOnDisk() const;

  // For a broken() store: renames the damaged files to "<name>.corrupt" (".corrupt-2", ... if
  // taken), leaves an empty set and returns one sentence saying where they went. Throws DataError
  // if a rename fails (nothing is then lost either).
  std::string moveCorruptAside();

 private:
  void requireUsable() const;
  void checkIndex(int index) const;
  // Writes `d` over the files (atomically per file), or removes both for an empty set.
  void save(const Dataset& d);
  // Size and modification time (ms) of both files now (-1s when absent).
  std::vector<int64_t> stampNow() const;

  std::string m_folder;
  Dataset m_digits;
  std::string m_error;           // why the files on disk cannot be used; empty: usable
  std::vector<int64_t> m_stamp;  // stampNow() after the last load or save
};

// "My digits" as a train/test pair (both the whole set, for training on only my digits and for
// evaluating on them), read from `folder`. Throws DataError for a damaged pair, and with
// MyDigits::emptyMessage() when there are none.
DatasetPair loadMyDigitsPair(const std::string& folder);

// A --data argument with "my" (my digits, in MyDigits::defaultFolder()) added to what
// loadDataset() takes (embedded, fashion, mnist, a folder).
DatasetPair loadDatasetOrMyDigits(const std::string& spec);

}  // namespace dl
