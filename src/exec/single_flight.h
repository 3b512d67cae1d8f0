// Computes each key's value once, however many threads ask for it at the same
// time: the first caller computes, the others wait for its result.
#pragma once

#include <exception>
#include <functional>
#include <future>
#include <map>
#include <mutex>

namespace iree_suite {

template <typename Key, typename Value>
class SingleFlight {
 public:
  // Returns the value for `key`, calling `compute` only if no thread has
  // computed or is computing it. References stay valid for the object's life.
  const Value& Get(const Key& key, const std::function<Value()>& compute) {
    std::shared_future<Value> future;
    std::promise<Value> promise;
    bool owner = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = futures_.find(key);
      if (it == futures_.end()) {
        it = futures_.emplace(key, promise.get_future().share()).first;
        owner = true;
      }
      future = it->second;
    }
    if (owner) {
      try {
        promise.set_value(compute());
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    }
    // The reference points into the shared state, which the map's copy of the
    // future keeps alive after this local one is gone.
    return future.get();
  }

 private:
  std::mutex mutex_;
  std::map<Key, std::shared_future<Value>> futures_;
};

}  // namespace iree_suite
