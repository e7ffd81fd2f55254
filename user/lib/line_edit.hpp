// The shell's line editor, pure logic (host-tested): insert and delete anywhere in the line,
// cursor movement, Ctrl-U, and a history recalled with the arrows. Keys arrive as bytes, from a
// serial terminal (VT100/xterm escape sequences: ESC [ A/B/C/D/H/F, ESC [ 1~ 3~ 4~, ESC O H/F) or
// from the PS/2 keyboard, whose arrows the kernel turns into the emacs control codes
// (src/dev/scancode.hpp): ^P up, ^N down, ^B left, ^F right, ^A home, ^E end, ^D delete.
// The screen is redrawn with printable bytes, spaces and '\b' only, which both the VGA console
// and a serial terminal understand.
#pragma once
#include "src/lib/types.hpp"

template <u32 kCap, u32 kHistory>
class LineEditor {
public:
    enum class Status { Editing, Done, Cancelled };

    // Feed one byte; `out.write(const char*, u32)` receives what the screen needs.
    template <class Out>
    Status feed(char ch, Out& out) {
        u8 c = u8(ch);
        if (esc_) return escape(c, out);
        switch (c) {
        case 0x1B: esc_ = 1; return Status::Editing;
        case '\r':
        case '\n': return finish(out);
        case 0x03:  // Ctrl-C: drop the line
            out.write("^C\n", 3);
            clear_state();
            return Status::Cancelled;
        case 0x15: kill_line(out); return Status::Editing;  // Ctrl-U
        case 0x08:
        case 0x7F: backspace(out); return Status::Editing;
        case 0x04: del(out); return Status::Editing;
        case 0x02: left(out); return Status::Editing;
        case 0x06: right(out); return Status::Editing;
        case 0x01: home(out); return Status::Editing;
        case 0x05: end(out); return Status::Editing;
        case 0x10: recall(+1, out); return Status::Editing;
        case 0x0E: recall(-1, out); return Status::Editing;
        }
        if (c >= 32 && c < 127) insert(char(c), out);
        return Status::Editing;
    }

    const char* line() const { return buf_; }
    u32 length() const { return len_; }
    u32 cursor() const { return cur_; }
    u32 history_count() const { return hist_n_; }
    // Start a new line (after Done or Cancelled, the line stays readable until this).
    void reset() { clear_state(); }

private:
    template <class Out>
    Status escape(u8 c, Out& out) {
        if (esc_ == 1) {
            esc_ = (c == '[' || c == 'O') ? 2 : 0;
            num_ = 0;
            return Status::Editing;
        }
        if (c >= '0' && c <= '9') {
            num_ = num_ * 10 + (c - '0');
            return Status::Editing;
        }
        esc_ = 0;
        switch (c) {
        case 'A': recall(+1, out); break;
        case 'B': recall(-1, out); break;
        case 'C': right(out); break;
        case 'D': left(out); break;
        case 'H': home(out); break;
        case 'F': end(out); break;
        case '~':
            if (num_ == 1 || num_ == 7) home(out);
            else if (num_ == 4 || num_ == 8) end(out);
            else if (num_ == 3) del(out);
            break;
        }
        return Status::Editing;
    }

    template <class Out>
    Status finish(Out& out) {
        out.write("\n", 1);
        buf_[len_] = '\0';
        if (len_ && (hist_n_ == 0 || !same_as_newest())) {
            char* slot = hist_[hist_head_];
            for (u32 i = 0; i <= len_; i++) slot[i] = buf_[i];
            hist_head_ = (hist_head_ + 1) % kHistory;
            if (hist_n_ < kHistory) hist_n_++;
        }
        browsing_ = 0;
        esc_ = 0;
        return Status::Done;
    }
    bool same_as_newest() const {
        const char* h = hist_[(hist_head_ + kHistory - 1) % kHistory];
        for (u32 i = 0; i <= len_; i++)
            if (h[i] != buf_[i]) return false;
        return true;
    }
    void clear_state() {
        len_ = cur_ = 0;
        buf_[0] = '\0';
        browsing_ = 0;
        esc_ = 0;
    }

    template <class Out>
    void back(u32 n, Out& out) {
        for (u32 i = 0; i < n; i++) out.write("\b", 1);
    }
    // Reprint from the cursor to the end, blank `extra` cells after it, and come back.
    template <class Out>
    void tail(u32 extra, Out& out) {
        out.write(buf_ + cur_, len_ - cur_);
        for (u32 i = 0; i < extra; i++) out.write(" ", 1);
        back(len_ - cur_ + extra, out);
    }
    template <class Out>
    void insert(char c, Out& out) {
        if (len_ == kCap - 1) return;  // full: the byte is dropped (room for the NUL)
        for (u32 i = len_; i > cur_; i--) buf_[i] = buf_[i - 1];
        buf_[cur_] = c;
        len_++;
        out.write(&buf_[cur_], 1);
        cur_++;
        tail(0, out);
    }
    template <class Out>
    void backspace(Out& out) {
        if (!cur_) return;
        left(out);
        del(out);
    }
    template <class Out>
    void del(Out& out) {
        if (cur_ == len_) return;
        for (u32 i = cur_; i + 1 < len_; i++) buf_[i] = buf_[i + 1];
        len_--;
        tail(1, out);
    }
    template <class Out>
    void left(Out& out) {
        if (cur_) cur_--, back(1, out);
    }
    template <class Out>
    void right(Out& out) {
        if (cur_ < len_) out.write(&buf_[cur_++], 1);
    }
    template <class Out>
    void home(Out& out) {
        back(cur_, out);
        cur_ = 0;
    }
    template <class Out>
    void end(Out& out) {
        out.write(buf_ + cur_, len_ - cur_);
        cur_ = len_;
    }
    template <class Out>
    void kill_line(Out& out) {
        home(out);
        u32 old = len_;
        len_ = 0;
        tail(old, out);
    }
    // dir +1: one older entry, -1: one newer (back to an empty line after the newest).
    template <class Out>
    void recall(int dir, Out& out) {
        u32 next = browsing_;
        if (dir > 0 && browsing_ < hist_n_) next++;
        else if (dir < 0 && browsing_ > 0) next--;
        else return;
        kill_line(out);
        browsing_ = next;
        if (browsing_) {
            const char* h = hist_[(hist_head_ + kHistory - browsing_) % kHistory];
            for (len_ = 0; h[len_] && len_ < kCap - 1; len_++) buf_[len_] = h[len_];
        }
        cur_ = 0;
        end(out);
    }

    char buf_[kCap] = {};
    u32 len_ = 0, cur_ = 0;
    char hist_[kHistory][kCap] = {};
    u32 hist_head_ = 0, hist_n_ = 0;
    u32 browsing_ = 0;  // 0: the line being typed; k: the k-th newest history entry
    u32 esc_ = 0, num_ = 0;
};
