package xliff

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// corpus lists every file under the shared data's xliff/ folder (see
// SOURCES.md section 4) with what Read makes of it: the number of segments
// and of segments with a non-empty target, or the error it returns (a
// substring of its text, which starts with the line). Files of the Okapi
// invalid/ folder that Read accepts say which rule Read does not check.
var corpus = []struct {
	path          string
	segs, targets int
	err           string
	accepted      string // why an invalid/ file is read anyway
}{
	{"matecat_tests/324.VIII.xlf", 1, 1, "", ""},
	{"matecat_tests/file-with-notes-converted.xliff", 3, 3, "", ""},
	{"matecat_tests/file-with-notes-nobase64.po.sdlxliff", 6, 6, "", ""},
	{"matecat_tests/file-with-preserve-white-space.xliff", 2, 2, "", ""},
	{"matecat_tests/sdlxliff-with-mrk-and-note.xlf.sdlxliff", 2, 2, "", ""},
	{"matecat_tests/seg-source-simple.xliff", 2, 2, "", ""},
	{"matecat_tests/small-with-notes.sdlxliff", 4, 4, "", ""},
	{"matecat_tests/test-context-mapping-2.0.xlf", 18, 18, "", ""},
	{"matecat_tests/test-propagation.xlf", 7, 7, "", ""},
	{"matecat_tests/with-translate-no.xliff", 2, 1, "", ""},
	{"matecat_tests/word-count-ph-cases.xliff", 23, 0, "", ""},
	{"okapi_lib-xliff2_validation/example.xlf", 6, 0, "", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_CommentWithValueAndRef.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_ConfusedIsolatedOnEc.xlf", 0, 0, "line 6: unit \"1\": <ec startRef=\"1\"> comes before its <sc id=\"1\">, or that is isolated", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_CopyOfWithBadReference.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_CopyOfWithNoCopyReference.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_CopyOfWithOriginalData.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DataIdNotUnique.xlf", 0, 0, "line 7: unit \"1\": <data> id \"d1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_DataRefWithoutOriginalData.xlf", 0, 0, "line 8: unit \"u1\": an inline code refers to original data \"d1\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentCanCopyInScAndEc.xlf", 2, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentCanDeleteInScAndEc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentCanOverlapInScAndEc.xlf", 2, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentCanReorderInScAndEc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentCopyOfInScAndEc.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentDirInScAndEc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentSubTypeInScAndEc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentTypeInScAndEc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DifferentXmlSpace.xlf", 0, 0, "line 7: unit \"1\": <source> has xml:space \"preserve\" but its <target> has \"default\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateExtElemIdsInFile.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateExtElemIdsInGroup.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateExtElemIdsInUnit.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateNoteIdsInFile.xlf", 0, 0, "line 6: <note> id \"n1\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateNoteIdsInGroup.xlf", 0, 0, "line 15: <note> id \"n1\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_DuplicateNoteIdsInUnit.xlf", 0, 0, "line 14: unit \"1\": <note> id \"n1\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_EcBeforeSc.xlf", 0, 0, "line 6: unit \"1\": <ec startRef=\"1\"> comes before its <sc id=\"1\">, or that is isolated", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_EmBeforeSm.xlf", 0, 0, "line 6: unit \"1\": <em startRef=\"1\"> comes before its <sm id=\"1\">, or that is isolated", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_EmptySkeletonWithoutHref.xlf", 0, 0, "line 4: <skeleton> has neither an href nor content", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_FileIdNotUnique.xlf", 0, 0, "line 11: <file> id \"1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_GroupIdNotUnique.xlf", 0, 0, "line 5: <group> id \"1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_GroupWithoutId.xlf", 0, 0, "line 4: <group> has no id", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_IgnorableIdNotUnique.xlf", 0, 0, "line 11: unit \"1\": <ignorable> id \"i1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_IgnorableWithoutSource.xlf", 0, 0, "line 11: unit \"1\": <ignorable> has no <source>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidCommentAnnotation1.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidCommentAnnotation2.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidCommentAnnotation3.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidCommentAnnotation4.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidDataRef.xlf", 0, 0, "line 12: unit \"1\": an inline code refers to original data \"bad\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidDataRefEnd.xlf", 0, 0, "line 12: unit \"1\": an inline code refers to original data \"bad\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidDataRefStart.xlf", 0, 0, "line 12: unit \"1\": an inline code refers to original data \"bad\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidDirAttributeOnSource.xlf", 0, 0, "line 6: unit \"1\": <source> has no attribute \"dir\" in XLIFF 2", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionAttributeOnPc.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionAttributeOnSegment.xlf", 0, 0, "line 7: unit \"1\": <segment> does not allow the attribute myNS:badAttr", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionAttributeOnSource.xlf", 0, 0, "line 8: unit \"1\": <source> does not allow the attribute myNS:badAttr", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionAttributeOnTarget.xlf", 0, 0, "line 8: unit \"1\": <target> does not allow the attribute myNS:badAttr", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionElementInData.xlf", 0, 0, "line 6: unit \"1\": <badElem> is not allowed in <data>: only text and <cp>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionElementInFile.xlf", 0, 0, "line 11: <badElem> comes after the units of <file>: extensions and modules go before them", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionElementInOriginalData.xlf", 0, 0, "line 7: unit \"1\": <badElem> is not allowed in <originalData>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionElementInSegment.xlf", 0, 0, "line 7: unit \"1\": <badElem> is not allowed in <segment>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidExtensionElementOutsideFile.xlf", 0, 0, "line 15: <badElem> is not allowed in <xliff>: only <file> elements are", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFSAttribute.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFSAttributeOnEc.xlf", 2, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFSAttributeValue.xlf", 1, 0, "", "extension and fs attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdBadOrder.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdDuplicatedPrefix.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdMissplacedLeaf.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdNoSingleLeaf.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdPrefixNotNmtoken.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdPrefixTooShort.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdSyntax.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidFragIdUnknownPrefix.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidHexRangeOnCp.xlf", 0, 0, "line 6: unit \"1\": <cp hex=\"00a0\"> encodes a character XML can carry: write it as text", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidHexValueOnCp.xlf", 0, 0, "line 6: unit \"1\": <cp hex=\"notOK\"> is not a Unicode code point", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidId1.xlf", 0, 0, "line 4: <unit> id \"/1\" is not an XML NMTOKEN (character '/')", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidId2.xlf", 0, 0, "line 5: unit \"1\": <segment> id \"#1\" is not an XML NMTOKEN (character '#')", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidId3.xlf", 0, 0, "line 6: unit \"u1\": <ph> id \"\\\\1\" is not an XML NMTOKEN (character '\\\\')", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidIsolatedOnEc.xlf", 0, 0, "line 6: unit \"1\": <ec isolated=\"yes\"> must not have a startRef (\"1\")", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidIsolatedOnSc.xlf", 0, 0, "line 6: unit \"1\": <ec startRef=\"1\"> comes before its <sc id=\"1\">, or that is isolated", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidLoneEm.xlf", 0, 0, "line 6: unit \"1\": <em startRef=\"m1\"> comes before its <sm id=\"m1\">, or that is isolated", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidLoneSm.xlf", 0, 0, "line 8: unit \"1\": <sm id=\"m1\"> has no <em startRef=\"m1\"> in the unit", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidNoteRefInUnit.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidNotesInFile.xlf", 0, 0, "line 9: <notes> comes after units or groups: it goes before them", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidNotesInGroup.xlf", 0, 0, "line 10: <notes> comes after units or groups: it goes before them", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidNotesInUnit.xlf", 0, 0, "line 8: unit \"1\": <notes> comes too late in <unit>: the order is extensions and modules, notes, originalData, segments", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidStateValue.xlf", 0, 0, "line 5: unit \"1\": segment state \"badState\" is not one of initial, translated, reviewed, final", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidTranslateInSegment.xlf", 0, 0, "line 5: unit \"1\": <segment> has no attribute \"translate\" in XLIFF 2", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidTypeSubTypeValues.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidTypeValue.xlf", 0, 0, "line 13: unit \"1\": <pc type=\"badType\">: the value must be one of fmt, ui, quote, link, image, other", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidValidation.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidXmlLangInheritedFromFile.xlf", 0, 0, "line 6: unit \"1\": <source> has xml:lang \"ja\" but the document's srcLang is \"en\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidXmlLangInheritedFromGroup.xlf", 0, 0, "line 7: unit \"1\": <source> has xml:lang \"ja\" but the document's srcLang is \"en\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_InvalidXmlLangInheritedFromUnit.xlf", 0, 0, "line 6: unit \"1\": <source> has xml:lang \"ja\" but the document's srcLang is \"en\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_IsolatedEcWithId.xlf", 0, 0, "line 6: unit \"1\": <ec isolated=\"yes\"> must not have a startRef (\"1\")", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_MissingIsolatedOnEc.xlf", 0, 0, "line 6: unit \"1\": <ec> has neither a startRef nor isolated=\"yes\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_MissingIsolatedOnSc.xlf", 0, 0, "line 8: unit \"1\": <sc id=\"1\"> has no <ec startRef=\"1\"> in the unit: add one, or mark the <sc> isolated=\"yes\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_MissingNonRemovable1.xlf", 4, 3, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_MissingNonRemovable2.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_MissingReorderFirstNo.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_NoFile.xlf", 0, 0, "line 3: <xliff> has no <file>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NoTrgLang.xlf", 0, 0, "line 11: the document has targets but <xliff> has no trgLang", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NoTrgLangWithIgnorable.xlf", 0, 0, "line 14: the document has targets but <xliff> has no trgLang", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NoUnitOrGroupInFile.xlf", 0, 0, "line 4: <file id=\"f1\"> has no <unit> or <group>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NonEmptySkeletonWithHref.xlf", 0, 0, "line 4: <skeleton> has both an href and content", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NonIsolatedEcWithStartRef.xlf", 0, 0, "line 9: unit \"1\": <ec> has neither a startRef nor isolated=\"yes\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_NotCorrespondingCode1.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_NotCorrespondingCode2.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_NotesWithoutNote.xlf", 0, 0, "line 5: <notes> holds no <note>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_OrderNotUnique1.xlf", 0, 0, "line 11: unit \"1\": two targets of the unit have order 1 (a target without order has its segment's position)", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_OrderNotUnique2.xlf", 0, 0, "line 11: unit \"1\": two targets of the unit have order 2 (a target without order has its segment's position)", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_OriginalDataWithoutData.xlf", 0, 0, "line 6: unit \"1\": <originalData> holds no <data>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_PartIdNotUnique.xlf", 0, 0, "line 8: unit \"1\": <ignorable> id \"1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_RefAndValueInComment.xlf", 1, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_SegmentIdNotUnique.xlf", 0, 0, "line 8: unit \"1\": <segment> id \"s1twice\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_SegmentWithoutSource.xlf", 0, 0, "line 7: unit \"1\": <segment> has no <source>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_SrcLangNotWellFormed.xlf", 0, 0, "line 2: <xliff srcLang=\"e\">: not a well-formed language tag", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_SubFlowWithInvalidReference.xlf", 3, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_SubFlowWithInvalidValue.xlf", 3, 0, "", "fragment-identifier and reference rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_SubStateWithoutState.xlf", 0, 0, "line 5: unit \"1\": <segment> has a subState but no state", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_SubTypeWithoutType.xlf", 0, 0, "line 6: unit \"1\": <pc> has a subType but no type", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_TrgLangNotWellFormed.xlf", 0, 0, "line 2: <xliff trgLang=\"f r\">: not a well-formed language tag", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_TwoSourceInUnit.xlf", 0, 0, "line 7: unit \"1\": <segment> has a second <source>, or a <source> after its <target>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_UnitWithoutSegment.xlf", 0, 0, "line 8: unit \"1\": <unit> has no <segment>", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_UnknownDataRefEndValue.xlf", 0, 0, "line 12: unit \"1\": an inline code refers to original data \"badId\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_UnknownDataRefStartValue.xlf", 0, 0, "line 12: unit \"1\": an inline code refers to original data \"badId\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_UnknownDataRefValue.xlf", 0, 0, "line 11: unit \"1\": an inline code refers to original data \"badId\", which the unit's <originalData> does not hold", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_WrongLangOnTarget.xlf", 0, 0, "line 8: unit \"1\": <target> has xml:lang \"ja\" but the document's trgLang is \"fr\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_WrongReordering1.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_WrongReordering2.xlf", 1, 1, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_WrongSourceLang.xlf", 0, 0, "line 6: unit \"1\": <source> has xml:lang \"ja\" but the document's srcLang is \"en\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_WrongTargetLang.xlf", 0, 0, "line 7: unit \"1\": <target> has xml:lang \"de\" but the document's trgLang is \"fr\"", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_XmlLangNotWellFormed.xlf", 0, 0, "line 7: unit \"1\": <target> xml:lang \"f r\" is not a well-formed language tag", ""},
	{"okapi_lib-xliff2_validation/invalid/bad_YesCanReorderInEcForFirstNoInSc.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_canReorderContext1.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_canReorderContext2.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/bad_canReorderContext3.xlf", 1, 0, "", "inline-code attribute rules not checked"},
	{"okapi_lib-xliff2_validation/invalid/ctr/Bad-ctr-property-not-legit-category.xlf", 1, 1, "", "module rule not checked (ctr)"},
	{"okapi_lib-xliff2_validation/invalid/ctr/Bad-ctr_appliesTo-not-using-ref-to-resolvableID.xlf", 2, 2, "", "module rule not checked (ctr)"},
	{"okapi_lib-xliff2_validation/invalid/ctr/Bad-ctr_property-not-content-or-valid-attribute-ref.xlf", 1, 1, "", "module rule not checked (ctr)"},
	{"okapi_lib-xliff2_validation/invalid/ctr/Bad-ctr_ref-not-pointed-to-resolvableID.xlf", 2, 2, "", "module rule not checked (ctr)"},
	{"okapi_lib-xliff2_validation/invalid/ctr/Bad-ctr_revisions-not-using-ref-to-resolvableID.xlf", 2, 2, "", "module rule not checked (ctr)"},
	{"okapi_lib-xliff2_validation/invalid/gls/Bad-gls_glossEntry-and-translation-not-unique-in-glossary.xlf", 1, 1, "", "module rule not checked (gls)"},
	{"okapi_lib-xliff2_validation/invalid/gls/Bad-gls_glossEntry-w-o-translation-or-definition.xlf", 0, 0, "line 31: unit \"xmrk_000_concept\": <gls:glossEntry> for \"slushy\" has neither a <gls:translation> nor a <gls:definition>", ""},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_meta-missing-type.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_meta-missplaced-appliesTo.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_metaGroup-id-not-nmtoken.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_metaGroup-id-not-unique.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_metaGroup-invalid-appliesTo.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_metadata-id-not-nmtoken.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mda/Bad-mda_missing-metaGroup.xlf", 1, 1, "", "module rule not checked (mda)"},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_id-not-nmtoken.xlf", 0, 0, "line 19: unit \"u1\": <mtc:match> id \"\\\\bad\" is not an XML NMTOKEN (character '\\\\')", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_match-ID-not-unique.xlf", 0, 0, "line 23: unit \"xmrk_000_concept\": <mtc:match> id \"mtc1\" is used twice", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_match-has-xml_lang.xlf", 0, 0, "line 24: unit \"xmrk_000_concept\": <mtc:match> must not have xml:lang", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_similarity-invalid.xlf", 0, 0, "line 19: unit \"u1\": mtc:match similarity \"100.0009\" is not a number from 0 to 100", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_subType-w-o-type-match.xlf", 0, 0, "line 19: unit \"xmrk_000_concept\": mtc:match ref \"m1\" is not a fragment reference such as #m1", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_type-value-not-in-list.xlf", 0, 0, "line 19: unit \"xmrk_000_concept\": mtc:match type \"my.mt\" is not one of am, mt, icm, idm, tb, tm, other", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_wrong-ref-syntax.xlf", 0, 0, "line 19: unit \"u1\": mtc:match ref \"s1\" is not a fragment reference such as #m1", ""},
	{"okapi_lib-xliff2_validation/invalid/mtc/Bad-mtc_wrong-ref-value.xlf", 0, 0, "line 19: unit \"u1\": mtc:match ref \"#u1\" points to no segment or marker of the unit", ""},
	{"okapi_lib-xliff2_validation/invalid/val/Bad-val_ExactlyOneAttributeOnRule.xlf", 4, 1, "", "module rule not checked (val)"},
	{"okapi_lib-xliff2_validation/invalid/val/Bad-val_existsInSourcePatternOnRule.xlf", 3, 3, "", "module rule not checked (val)"},
	{"okapi_lib-xliff2_validation/invalid/val/Bad-val_invalid-caseSensitive.xlf", 1, 0, "", "module rule not checked (val)"},
	{"okapi_lib-xliff2_validation/invalid/val/Bad-val_invalid-normalization.xlf", 1, 0, "", "module rule not checked (val)"},
	{"okapi_lib-xliff2_validation/invalid/val/Bad-val_invalid-occurs.xlf", 1, 0, "", "module rule not checked (val)"},
	{"okapi_lib-xliff2_validation/valid/allExtensions.xlf", 3, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/almostEmpty.xlf", 0, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/correspondingCodes.xlf", 16, 16, "", ""},
	{"okapi_lib-xliff2_validation/valid/ctr/Good-ctr-property-legit-category.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/ctr/Good-ctr_appliesTo-using-ref-to-resolvableID.xlf", 4, 4, "", ""},
	{"okapi_lib-xliff2_validation/valid/ctr/Good-ctr_property-content-or-valid-attribute-ref.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/ctr/Good-ctr_ref-pointed-to-resolvableID.xlf", 2, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/ctr/Good-ctr_revisions-using-ref-to-resolvableID.xlf", 4, 4, "", ""},
	{"okapi_lib-xliff2_validation/valid/emptySkeletonWithHref.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/everything-core-walker.xlf", 5, 5, "", ""},
	{"okapi_lib-xliff2_validation/valid/everything-core.xlf", 5, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/gls/Good-gls_glossEntry-and-translation-unique-in-glossary.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/gls/Good-gls_glossEntry-w-translation-or-definition.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/allowed-characters.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/domain.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/localization-quality-issue.xlf", 2, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/mt-confidence.xlf", 2, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/provenance.xlf", 4, 4, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/terminology.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/text-analysis.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/its/translate.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_match-ID-unique.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_match-has-no-xml_lang.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_match-with-inlines.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_reference-lang.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_subType-w-type-match.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/mtc/Good-mtc_type-type-not-on-list.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/nonEmptySkeletonWithoutHref.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/sourceOnly.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/testTranslateWithTarget.xlf", 3, 3, "", ""},
	{"okapi_lib-xliff2_validation/valid/toJoin.xlf", 5, 5, "", ""},
	{"okapi_lib-xliff2_validation/valid/toSegment.xlf", 4, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/toSegmentAndOrder.xlf", 4, 3, "", ""},
	{"okapi_lib-xliff2_validation/valid/typeSubTypeValues.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/val/Good-val_ExactlyOneAttributeOnRule.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/val/Good-val_existsInSourcePatternOnRule.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/val/Good-val_extension-rule.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/val/rules-test.xlf", 4, 4, "", ""},
	{"okapi_lib-xliff2_validation/valid/withCDataSections.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/withCommentAnnotations.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/withGlossary.xlf", 2, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/withMatches.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/withModulesAttributesInEc.xlf", 2, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/withNotes.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/withReferences.xlf", 3, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/withReorderedCodes.xlf", 9, 9, "", ""},
	{"okapi_lib-xliff2_validation/valid/withSLR.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/withTBXExtension.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/valid/withValidation.xlf", 2, 2, "", ""},
	{"okapi_lib-xliff2_validation/valid/withXmlLang.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/valid/withXmlSpace.xlf", 1, 1, "", ""},
	{"okapi_lib-xliff2_validation/warning/empty-target-state-not-initial.xlf", 1, 0, "", ""},
	{"okapi_lib-xliff2_validation/warning/no-target-state-not-initial.xlf", 1, 0, "", ""},
	{"okapi_xliff12_tests/Balancing/2LevelGTags.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/Balancing/3LevelGTags.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/Balancing/3LevelGTagsWithNamespaces.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/Balancing/BetweenSegments.xlf", 2, 2, "", ""},
	{"okapi_xliff12_tests/Balancing/DifferentCTypes.xlf", 2, 2, "", ""},
	{"okapi_xliff12_tests/Balancing/DifferentCTypesWithBreakingMrk.xlf", 2, 2, "", ""},
	{"okapi_xliff12_tests/Balancing/DifferentTags.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/Balancing/MultipleSegments.xlf", 2, 2, "", ""},
	{"okapi_xliff12_tests/Balancing/WithCTypes.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/BinUnitTest01.xlf", 1, 0, "", ""},
	{"okapi_xliff12_tests/JMP-11-Test01.xlf", 9, 9, "", ""},
	{"okapi_xliff12_tests/MQ-12-Test01.xlf", 119, 50, "", ""},
	{"okapi_xliff12_tests/Manual-12-AltTrans.xlf", 6, 2, "", ""},
	{"okapi_xliff12_tests/NSTest01.xlf", 1, 0, "", ""},
	{"okapi_xliff12_tests/OnTramTest01.xlf", 88, 0, "", ""},
	{"okapi_xliff12_tests/PAS-10-Test01.xlf", 158, 0, "", ""},
	{"okapi_xliff12_tests/RB-11-Test01.xlf", 12, 2, "", ""},
	{"okapi_xliff12_tests/RB-12-Test02.xlf", 11, 7, "", ""},
	{"okapi_xliff12_tests/SF-12-Test01.xlf", 1918, 1918, "", ""},
	{"okapi_xliff12_tests/SF-12-Test02.xlf", 98, 90, "", ""},
	{"okapi_xliff12_tests/SF-12-Test03.xlf", 944, 1, "", ""},
	{"okapi_xliff12_tests/TS09-12-Test01.xlf", 23, 5, "", ""},
	{"okapi_xliff12_tests/Test_Context_and_PH.xlf", 2, 0, "", ""},
	{"okapi_xliff12_tests/Typo3Draft.xlf", 6, 4, "", ""},
	{"okapi_xliff12_tests/Xslt-Test01.xlf", 6, 6, "", ""},
	{"okapi_xliff12_tests/addingElements.xlf", 4, 4, "", ""},
	{"okapi_xliff12_tests/altTrans-100.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/alttrans.xlf", 1, 0, "", ""},
	{"okapi_xliff12_tests/invalid_xml_entity.xlf", 0, 0, "line 8: not well-formed XML: unit \"tu1_tu1\": illegal character code U+0003", ""},
	{"okapi_xliff12_tests/iwsxliff-test2_es.xlf", 373, 45, "", ""}, // 3 targets are only codes (<g><x/></g>)
	{"okapi_xliff12_tests/iwsxliff-test3_pt_BZ.xlf", 4, 3, "", ""},
	{"okapi_xliff12_tests/lqiExtensions.xlf", 1, 1, "", ""},
	{"okapi_xliff12_tests/lqiTest.xlf", 4, 0, "", ""},
	{"okapi_xliff12_tests/segmented.xlf", 3, 3, "", ""},
	{"okapi_xliff12_tests/segsource.xlf", 2, 2, "", ""},
	{"okapi_xliff12_tests/xtmxliff-StatusSample.docx.xlf", 8, 3, "", ""},
	{"okapi_xliff20_tests/code_id_mismatch.xlf", 1, 1, "", ""},
	{"okapi_xliff20_tests/codefinder-en-es-newline.xliff", 2, 2, "", ""},
	{"okapi_xliff20_tests/deepenSegmentation-2020-10-12.xlf", 8, 0, "", ""},
	{"okapi_xliff20_tests/duplicate_inline_tags-duplicate_tag_ids.xlf", 1, 0, "", ""},
	{"okapi_xliff20_tests/escaped.xlf", 1, 0, "", ""},
	{"okapi_xliff20_tests/notes.xlf", 3, 0, "", ""},
	{"okapi_xliff20_tests/roundtrips-comprehensive_data_input.xlf", 4, 3, "", ""},
	{"okapi_xliff20_tests/roundtrips-empty_placeholder_input.xlf", 2, 0, "", ""},
	{"okapi_xliff20_tests/roundtrips-multiple_placeholders_same_data_input.xlf", 1, 1, "", ""},
	{"okapi_xliff20_tests/roundtrips-placeholders_input.xlf", 3, 0, "", ""},
	{"okapi_xliff20_tests/roundtrips-simple_version_input.xlf", 1, 0, "", ""},
	{"okapi_xliff20_tests/roundtrips-update_target_input.xlf", 7, 0, "", ""},
	{"okapi_xliff20_tests/test01.xlf", 5, 2, "", ""},
	{"okapi_xliff20_tests/test02.xlf", 5, 2, "", ""},
	{"okapi_xliff20_tests/white_space.xlf", 1, 0, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-SMP.xlf", 1, 1, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-cdata-bugs418.xlf", 4, 2, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-invalid-content.xlf", 0, 0, "line 7: not well-formed XML: illegal character code U+0008", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-properties.xlf", 2, 2, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-statcount.xlf", 1, 1, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-tags-optimization.xlf", 3, 3, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter-tags.xlf", 10, 10, "", ""},
	{"omegat_tests/filters3/file-XLIFFFilter.xlf", 6, 2, "", ""},
	{"omegat_tests/filters3/file-xliff-BUGS1221.xlf", 7, 7, "", ""},
	{"omegat_tests/filters3/file-xliff-RFE1506-translated-expectation.xliff", 5, 5, "", ""},
	{"omegat_tests/filters3/file-xliff-RFE1506.xliff", 5, 5, "", ""},
	{"omegat_tests/filters4-xliff1/en-ca.xlf", 3, 3, "", ""},
	{"omegat_tests/filters4-xliff1/en-xx.xlf", 7, 3, "", ""},
	{"omegat_tests/filters4-xliff1/file-XLIFFFilter1-multiple-file-tag.xlf", 2, 0, "", ""},
	{"omegat_tests/filters4-xliff2/ex.14.5.xlf", 2, 0, "", ""},
	{"omegat_tests/filters4-xliff2/ex.9.5.xlf", 0, 0, "line 94: the document has targets but <xliff> has no trgLang", ""},
	{"real_nl/badgr-ui-messages.nl.xlf", 60, 47, "", ""},
	{"real_nl/kadaster-sensrnet-messages.nl.xlf", 365, 365, "", ""},
	{"real_nl/peertube-angular.nl-NL.xlf.gz", 2248, 2248, "", ""},
	{"real_nl/symfony-security-core-security.nl.xlf", 19, 19, "", ""},
	{"real_nl/symfony-validator-validators.nl.xlf", 116, 116, "", ""},
	{"real_nl/wise-client-messages.nl.xlf.gz", 2611, 2611, "", ""},
	{"translate5_tests/testcases_editorAPI_ProjectTaskTest_testfiles_workfiles_install-unix.apache2.html.sdlxliff", 119, 91, "", ""},
	{"translate5_tests/testcases_editorAPI_SegmentCommentRoundtripTest_testfiles_workfiles_02-memoq-de-en.mqxliff", 2, 2, "", ""},
	{"translate5_tests/testcases_editorAPI_Translate2282Test_testfiles_workfiles_TRANSLATE-2282-de-en.mqxliff", 1, 1, "", ""},
	{"translate_toolkit_tests/states.xlf", 8, 8, "", ""},
	{"translate_toolkit_tests/test_2-test_odf2xliff-reference.xlf", 10, 0, "", ""},
	{"translate_toolkit_tests/test_inline-test_odf2xliff_inline-reference.xlf", 4, 0, "", ""},
	{"okapi_lib-xliff2_validation/bad-prefix-notnmtoken.properties", 0, 0, "line 1: not an XLIFF document: not well-formed XML: unexpected EOF", ""},
	{"okapi_lib-xliff2_validation/bad-prefix-tooshort.properties", 0, 0, "line 1: not an XLIFF document: the input holds no XML element", ""},
	{"okapi_lib-xliff2_validation/extra-prefixes.properties", 0, 0, "line 1: not an XLIFF document: the input holds no XML element", ""},
}

// open opens a corpus file, decompressing .gz files.
func open(t *testing.T, path string) io.Reader {
	t.Helper()
	return openTB(t, path)
}

func openTB(tb testing.TB, path string) io.Reader {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	if !strings.HasSuffix(path, ".gz") {
		return f
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return z
}

func TestReadCorpus(t *testing.T) {
	root := shareddata.Path(t, "xliff")
	listed := map[string]bool{}
	for _, c := range corpus {
		listed[c.path] = true
	}
	// Every file of the folder is in the table.
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is not in the corpus table", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range corpus {
		if strings.Contains(c.path, "/invalid/") && c.err == "" && c.accepted == "" {
			t.Errorf("%s: an invalid/ file that Read accepts needs the reason", c.path)
		}
		t.Run(c.path, func(t *testing.T) {
			d, err := Read(open(t, filepath.Join(root, filepath.FromSlash(c.path))))
			if c.err != "" {
				if err == nil {
					t.Fatalf("Read accepted the file, want error %q", c.err)
				}
				if !strings.Contains(err.Error(), c.err) {
					t.Errorf("error %q, want %q", err, c.err)
				}
				if tolk.ErrorCode(err) != tolk.EINVALID || !strings.HasPrefix(tolk.ErrorField(err), "line ") {
					t.Errorf("error %v: code %s field %q, want invalid at a line", err, tolk.ErrorCode(err), tolk.ErrorField(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			segs, targets := 0, 0
			for _, f := range d.Files {
				for _, u := range f.Units {
					for _, s := range u.Segments {
						segs++
						if s.Target != "" {
							targets++
						}
						switch s.State {
						case StateInitial, StateTranslated, StateReviewed, StateFinal:
						default:
							t.Errorf("unit %q segment %q: state %q", u.ID, s.ID, s.State)
						}
					}
				}
			}
			if segs != c.segs || targets != c.targets {
				t.Errorf("%d segments, %d with a target; want %d, %d", segs, targets, c.segs, c.targets)
			}
		})
	}
}

// TestCorpusRoundTrip writes every file of the corpus that Read accepts as
// XLIFF 2.1 and as XLIFF 1.2 and reads each back, keeping every segment's
// codes with their kind and data; then export → import → export is
// identical: the document read back writes the same bytes twice over.
// (XLIFF 1.2 is read back with one unit per segment, so the first writing
// of a unit of several segments differs from the second.)
func TestCorpusRoundTrip(t *testing.T) {
	root := shareddata.Path(t, "xliff")
	for _, c := range corpus {
		if c.err != "" {
			continue
		}
		t.Run(c.path, func(t *testing.T) {
			d, err := Read(open(t, filepath.Join(root, filepath.FromSlash(c.path))))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(d.Files) == 0 || c.segs == 0 {
				t.Skip("no segment to write")
			}
			uniqueIDs(&d)
			for _, w := range []struct {
				name  string
				write func(io.Writer, Document) error
			}{{"2.1", Write}, {"1.2", Write12}} {
				var first, second bytes.Buffer
				if err := w.write(&first, d); err != nil {
					t.Fatalf("Write %s: %v", w.name, err)
				}
				back, err := Read(bytes.NewReader(first.Bytes()))
				if err != nil {
					t.Fatalf("Read of Write %s: %v\n%s", w.name, err, first.Bytes())
				}
				sameCodes(t, w.name, d, back)
				if err := w.write(&second, back); err != nil {
					t.Fatalf("second Write %s: %v", w.name, err)
				}
				again, err := Read(bytes.NewReader(second.Bytes()))
				if err != nil {
					t.Fatalf("Read of the second Write %s: %v", w.name, err)
				}
				var third bytes.Buffer
				if err := w.write(&third, again); err != nil {
					t.Fatalf("third Write %s: %v", w.name, err)
				}
				if !bytes.Equal(second.Bytes(), third.Bytes()) {
					t.Errorf("XLIFF %s: export → import → export changed the document:\n%s\n----\n%s", w.name, second.Bytes(), third.Bytes())
				}
			}
		})
	}
}

// uniqueIDs gives every file, unit and segment of d an id that Write and
// Write12 accept: the ids real files use may be no XML NMTOKEN, and XLIFF
// 1.2 needs segment ids unique per file.
func uniqueIDs(d *Document) {
	d.Files = slices.DeleteFunc(d.Files, func(f File) bool { return len(f.Units) == 0 })
	for fi := range d.Files {
		f := &d.Files[fi]
		f.ID = fmt.Sprintf("f%d", fi+1)
		n := 0
		for ui := range f.Units {
			u := &f.Units[ui]
			u.ID = fmt.Sprintf("u%d", ui+1)
			for si := range u.Segments {
				n++
				u.Segments[si].ID = fmt.Sprintf("s%d", n)
			}
		}
	}
}

// sameCodes checks that every segment of back has the text and codes of
// the same segment of d, but for what XML cannot carry.
func sameCodes(t *testing.T, name string, d, back Document) {
	t.Helper()
	a, b := segs(d), segs(back)
	if len(a) != len(b) {
		t.Fatalf("XLIFF %s: %d segments back, wrote %d", name, len(b), len(a))
	}
	for i := range a {
		if len(a[i].Codes) != len(b[i].Codes) {
			t.Errorf("XLIFF %s segment %d: %d codes back, wrote %d", name, i, len(b[i].Codes), len(a[i].Codes))
			return
		}
		for n := range a[i].Codes {
			if a[i].Codes[n].Kind != b[i].Codes[n].Kind || xmlSafe(a[i].Codes[n].Data) != b[i].Codes[n].Data {
				t.Errorf("XLIFF %s segment %d code %d: %+v back, wrote %+v", name, i, n, b[i].Codes[n], a[i].Codes[n])
				return
			}
		}
	}
}
