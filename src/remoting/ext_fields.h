// ExtFields: RocketMQ's extFields, a string -> string map ordered by key (the order the ACL
// signature needs), kept as one sorted vector. A request carries a dozen or so short fields and
// every request and response builds one: a vector is one allocation where a node map made one
// per field, and its lookups touch one block of memory.
//
// The interface is the subset of std::map that the code uses, with the same meaning: keys are
// unique, iteration is in key order, lookups take any string-like key. Do not change a key
// through an iterator. A value, not synchronised.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holdfast::remoting {

class ExtFields {
 public:
  using value_type = std::pair<std::string, std::string>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  ExtFields() = default;
  // Like std::map's: of equal keys, the first wins.
  ExtFields(std::initializer_list<value_type> fields) {
    for (const value_type& f : fields) try_emplace(f.first, f.second);
  }

  iterator begin() { return fields_.begin(); }
  iterator end() { return fields_.end(); }
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }
  void reserve(size_t n) { fields_.reserve(n); }

  iterator find(std::string_view key) {
    auto it = LowerBound(key);
    return it != fields_.end() && it->first == key ? it : fields_.end();
  }
  const_iterator find(std::string_view key) const {
    return const_cast<ExtFields*>(this)->find(key);
  }
  size_t count(std::string_view key) const { return find(key) == end() ? 0 : 1; }

  // Inserts key -> value unless key is present; returns where it is and whether it was inserted.
  // Like std::map's, it leaves key and value alone (not moved from) when key is present.
  template <typename K, typename V>
  std::pair<iterator, bool> try_emplace(K&& key, V&& value) {
    const std::string_view k(key);
    auto it = LowerBound(k);
    if (it != fields_.end() && it->first == k) return {it, false};
    return {fields_.emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
  }
  // Sets key -> value, replacing the value of a present key.
  template <typename K, typename V>
  std::pair<iterator, bool> insert_or_assign(K&& key, V&& value) {
    const std::string_view k(key);
    auto it = LowerBound(k);
    if (it != fields_.end() && it->first == k) {
      it->second = std::forward<V>(value);
      return {it, false};
    }
    return {fields_.emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
  }
  // Removes key; returns how many entries went (0 or 1).
  size_t erase(std::string_view key) {
    auto it = find(key);
    if (it == fields_.end()) return 0;
    fields_.erase(it);
    return 1;
  }

  bool operator==(const ExtFields&) const = default;

 private:
  iterator LowerBound(std::string_view key) {
    // Fields mostly arrive in key order (encoders write them sorted): try the end first.
    if (fields_.empty() || std::string_view(fields_.back().first) < key) return fields_.end();
    return std::lower_bound(
        fields_.begin(), fields_.end(), key,
        [](const value_type& f, std::string_view k) { return std::string_view(f.first) < k; });
  }

  std::vector<value_type> fields_;  // sorted by key, keys unique
};

}  // namespace holdfast::remoting
