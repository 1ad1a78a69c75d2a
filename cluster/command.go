package cluster

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
)

// Op names the write a Command makes.
type Op string

// The operations. Each maps onto one store method (see FSM.apply).
const (
	OpAddUnits       Op = "add_units"
	OpDeleteUnit     Op = "delete_unit"
	OpUpdateUnit     Op = "update_unit"
	OpRecordUsage    Op = "record_usage"
	OpCreateMemory   Op = "create_memory"
	OpUpdateMemory   Op = "update_memory"
	OpDeleteMemory   Op = "delete_memory"
	OpUpsertConcepts Op = "upsert_concepts"
	OpImportBatch    Op = "import_glossary_batch"
	OpDeleteConcept  Op = "delete_concept"
	OpCreateGlossary Op = "create_glossary"
	OpUpdateGlossary Op = "update_glossary"
	OpDeleteGlossary Op = "delete_glossary"
	OpCreateToken    Op = "create_token"
	OpRevokeToken    Op = "revoke_token"
	OpInit           Op = "init_cluster" // the cluster id, written once
	OpSetNode        Op = "set_node"     // a member's gRPC address
	OpRemoveNode     Op = "remove_node"
)

// admin reports whether op needs the admin scope (ApplyAdmin).
func (op Op) admin() bool { return op == OpCreateToken || op == OpRevokeToken }

// Command is one replicated write. Only the fields of its Op are set.
type Command struct {
	Op     Op        `json:"op"`
	Time   time.Time `json:"time"`             // the leader's "now" for the write
	Random []byte    `json:"random,omitempty"` // entropy fixed by the leader (a token's secret)

	Memory       string               `json:"memory,omitempty"` // a memory's name
	Units        []memory.Unit        `json:"-"`                // encoded apart: see encode
	Policy       memory.Policy        `json:"policy,omitempty"`
	UnitID       uint64               `json:"unit_id,omitempty"`
	UnitIDs      []uint64             `json:"unit_ids,omitempty"`
	At           time.Time            `json:"at,omitzero"` // a use's time (record_usage)
	UnitUpdate   *memory.UnitUpdate   `json:"unit_update,omitempty"`
	NewMemory    *memory.Memory       `json:"new_memory,omitempty"`
	MemoryUpdate *memory.MemoryUpdate `json:"memory_update,omitempty"`

	Glossary       string                   `json:"glossary,omitempty"` // a glossary's name
	Concepts       []glossary.Concept       `json:"concepts,omitempty"`
	First          int                      `json:"first,omitempty"` // stream index of Concepts[0] (import)
	ConceptID      string                   `json:"concept_id,omitempty"`
	NewGlossary    *glossary.Glossary       `json:"new_glossary,omitempty"`
	GlossaryUpdate *glossary.GlossaryUpdate `json:"glossary_update,omitempty"`

	Token     string         `json:"token,omitempty"` // a token's name, or id or name to revoke
	Scopes    []access.Scope `json:"scopes,omitempty"`
	AllowOpen bool           `json:"allow_open,omitempty"`

	ClusterID string `json:"cluster_id,omitempty"`
	NodeID    string `json:"node_id,omitempty"`
	GRPCAddr  string `json:"grpc_addr,omitempty"`
}

// commandVersion is the first byte of an encoded Command.
const commandVersion = 1

// encode returns c as a log entry: commandVersion, the length of the
// JSON of c (a uvarint), that JSON, then c.Units in gob when there are
// any. JSON keeps the domain types' optional fields exact (a *[]Prop that
// is empty is not one that is absent); gob stores the units of an import
// batch in a third of the bytes JSON takes, which the log writes and sends
// to every follower.
func (c *Command) encode() ([]byte, error) {
	head, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encoding %s command: %w", c.Op, err)
	}
	var buf bytes.Buffer
	buf.WriteByte(commandVersion)
	buf.Write(binary.AppendUvarint(nil, uint64(len(head))))
	buf.Write(head)
	if len(c.Units) > 0 {
		if err := gob.NewEncoder(&buf).Encode(c.Units); err != nil {
			return nil, fmt.Errorf("encoding the units of %s command: %w", c.Op, err)
		}
	}
	return buf.Bytes(), nil
}

// decodeCommand reads a log entry written by encode.
func decodeCommand(b []byte) (Command, error) {
	var c Command
	if len(b) == 0 || b[0] != commandVersion {
		return c, errors.New("log entry is not a version-1 Tolk command")
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || uint64(len(b)-1-k) < n {
		return c, errors.New("log entry is truncated")
	}
	head, rest := b[1+k:1+k+int(n)], b[1+k+int(n):]
	if err := json.Unmarshal(head, &c); err != nil {
		return c, fmt.Errorf("decoding a command: %w", err)
	}
	if len(rest) > 0 {
		if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(&c.Units); err != nil {
			return c, fmt.Errorf("decoding the units of a %s command: %w", c.Op, err)
		}
	}
	return c, nil
}

// Result is what applying a Command gave: the value of the store method
// that its Op names, or the error the store returned.
type Result struct {
	Add      *memory.AddResult      `json:"add,omitempty"`
	Unit     *memory.Unit           `json:"unit,omitempty"`
	Memory   *memory.Memory         `json:"memory,omitempty"`
	Upsert   *glossary.UpsertResult `json:"upsert,omitempty"`
	Glossary *glossary.Glossary     `json:"glossary,omitempty"`
	N        int                    `json:"n,omitempty"`
	Token    *access.Token          `json:"token,omitempty"`
	Secret   string                 `json:"secret,omitempty"`
	Err      *tolk.Error            `json:"err,omitempty"`
	// NotLeader says that the node a write was forwarded to does not
	// lead (any more): the sender finds the leader again and resends.
	NotLeader bool `json:"not_leader,omitempty"`
	// Index is the write's log index (set by the leader for a forwarded
	// write, so that the follower can wait until it has applied it).
	Index uint64 `json:"index,omitempty"`
}

// setErr records err in r as a *tolk.Error (its code, reason, field and
// the whole message), so that it survives the trip from the leader.
func (r *Result) setErr(err error) {
	if err == nil {
		return
	}
	e := &tolk.Error{Code: tolk.ErrorCode(err), Reason: tolk.ErrorReason(err), Field: tolk.ErrorField(err), Message: err.Error()}
	var te *tolk.Error
	if errors.As(err, &te) {
		e.Message = te.Message
	}
	r.Err = e
}

// err returns the result's error, or nil.
func (r *Result) err() error {
	if r.Err == nil {
		return nil
	}
	return r.Err
}
