package fakeaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// xmlw builds the inside of an <OpResult> element. Element names follow the
// SDK's response snapshots (service/iam/response_snapshot/*.snap).
type xmlw struct{ b strings.Builder }

func (w *xmlw) open(name string)  { w.b.WriteString("<" + name + ">") }
func (w *xmlw) close(name string) { w.b.WriteString("</" + name + ">") }

func (w *xmlw) str(name, v string) {
	w.open(name)
	_ = xml.EscapeText(&w.b, []byte(v)) // a strings.Builder never fails
	w.close(name)
}

// optStr writes name only when v is set, as the real service omits empty fields.
func (w *xmlw) optStr(name, v string) {
	if v != "" {
		w.str(name, v)
	}
}

func (w *xmlw) time(name string, t time.Time) { w.str(name, t.UTC().Format(time.RFC3339)) }

func (w *xmlw) boolean(name string, v bool) { w.str(name, strconv.FormatBool(v)) }

func (w *xmlw) String() string { return w.b.String() }

// page writes the IsTruncated/Marker pair that closes a listing.
func (w *xmlw) page(next string) {
	w.boolean("IsTruncated", next != "")
	w.optStr("Marker", next)
}

// apiError is an error the service answers with.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func errNoSuchEntity(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "NoSuchEntity", Message: fmt.Sprintf(format, args...)}
}

func errDeleteConflict(msg string) *apiError {
	return &apiError{Status: http.StatusConflict, Code: "DeleteConflict", Message: msg}
}

func errValidation(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "ValidationError", Message: msg}
}

func writeResult(w http.ResponseWriter, service, action, requestID, body string) {
	ns := "https://iam.amazonaws.com/doc/2010-05-08/"
	if service == "sts" {
		ns = "https://sts.amazonaws.com/doc/2011-06-15/"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		action, ns, action, body, action, requestID, action)
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	kind := "Sender"
	if e.Status >= 500 {
		kind = "Receiver"
	}
	var msg strings.Builder
	_ = xml.EscapeText(&msg, []byte(e.Message))
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(e.Status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		kind, e.Code, msg.String(), requestID)
}

// requestID returns a fresh UUID-shaped request ID; s.mu must be held.
func (s *Server) requestID() string {
	s.seq++
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", s.seq)
}

// idAlphabet is the alphabet of IAM unique IDs (base32, upper case).
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns prefix followed by n characters, unique within the server
// and deterministic for a given sequence of calls; s.mu must be held.
func (s *Server) newID(prefix string, n int) string {
	s.seq++
	// Multiplying by an odd constant is a bijection on uint64, so IDs stay
	// unique while their endings (what a title shows) differ visibly; long
	// IDs take more characters from further products.
	b := make([]byte, n)
	var v uint64
	for i := n - 1; i >= 0; i-- {
		if (n-1-i)%12 == 0 {
			v = uint64(s.seq+int64(i)<<32) * 0x9E3779B97F4A7C15
		}
		b[i] = idAlphabet[v%32]
		v /= 32
	}
	return prefix + string(b)
}
